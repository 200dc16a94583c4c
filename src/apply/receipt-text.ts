import { subjectNoun, type Receipt } from './receipt.ts';
import { sanitizeTerminal as clean } from '../util/sanitize.ts';
import { plural } from '../util/plural.ts';

/** The receipt for a terminal: one line per subject (token, user or team), then a summary. */
export function renderReceiptText(receipt: Receipt): string {
  const lines: string[] = [];
  // Names, IDs, errors and request IDs came from the API: each is escaped onto its one line.
  const width = Math.max(0, ...receipt.subjects.map((t) => clean(t.subject.name).length));
  const noun = subjectNoun(receipt.subjects.map((t) => t.subject.type));
  for (const t of receipt.subjects) {
    const ids = t.requestIds.length > 0 ? `  [request ${t.requestIds.map(clean).join(', ')}]` : '';
    const changes = plural(t.actions.length, 'change');
    const detail = t.error ? `: ${clean(t.error)}` : t.status === 'already-applied' ? `: ${changes} already live; nothing written` : `: ${changes}`;
    if (t.status === 'not-started') continue; // counted in the last line
    lines.push(`${t.status.padEnd(8)} ${t.subject.type.padEnd(5)} ${clean(t.subject.name).padEnd(width)}  ${clean(t.subject.id)}${detail}${ids}`);
  }
  for (const g of receipt.overriddenGuards) lines.push(`overridden guard (--allow-unsafe): ${clean(g)}`);
  const s = receipt.summary;
  const already = s.alreadyApplied > 0 ? ` (${s.alreadyApplied} already applied)` : '';
  if (receipt.status === 'interrupted') {
    const unknown = s.interrupted > 0 ? `, ${s.interrupted} interrupted while being written (see the receipt)` : '';
    lines.push(`Interrupted: ${s.applied} applied${already}, ${s.notStarted} not started${unknown}.`);
  } else if (receipt.status === 'nothing-to-do') lines.push('Apply complete: nothing to do.');
  else if (receipt.status === 'already-applied') lines.push('Apply complete: this plan was already applied; nothing was written.');
  else if (receipt.status === 'applied') lines.push(`Apply complete: ${s.applied} of ${s.subjects} ${noun}s updated${already}.`);
  else {
    lines.push(
      `Apply PARTIAL: ${s.applied} of ${s.subjects} ${noun}s updated${already}, ${s.conflicts} conflicts, ${s.failed} failed.`,
    );
    if (s.conflicts > 0) {
      lines.push(
        `The plan is stale: ${plural(s.conflicts, subjectNoun(receipt.subjects.filter((t) => t.status === 'conflict').map((t) => t.subject.type)))} changed since it was made. Run 'astro-access plan' again and apply the new plan.`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
