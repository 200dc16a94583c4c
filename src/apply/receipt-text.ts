import type { Receipt } from './receipt.ts';
import { sanitizeTerminal as clean } from '../render/sanitize.ts';

/** The receipt for a terminal: one line per token, then a summary. */
export function renderReceiptText(receipt: Receipt): string {
  const lines: string[] = [];
  // Names, IDs, errors and request IDs came from the API: each is escaped onto its one line.
  const width = Math.max(0, ...receipt.tokens.map((t) => clean(t.tokenName).length));
  for (const t of receipt.tokens) {
    const ids = t.requestIds.length > 0 ? `  [request ${t.requestIds.map(clean).join(', ')}]` : '';
    const detail = t.error ? `: ${clean(t.error)}` : `: ${t.actions.length} change${t.actions.length === 1 ? '' : 's'}`;
    if (t.status === 'not-started') continue; // counted in the last line
    lines.push(`${t.status.padEnd(8)} ${clean(t.tokenName).padEnd(width)}  ${clean(t.tokenId)}${detail}${ids}`);
  }
  for (const g of receipt.overriddenGuards) lines.push(`overridden guard (--allow-unsafe): ${clean(g)}`);
  const s = receipt.summary;
  if (receipt.status === 'interrupted') {
    const unknown = s.interrupted > 0 ? `, ${s.interrupted} interrupted while being written (see the receipt)` : '';
    lines.push(`Interrupted: ${s.applied} applied, ${s.notStarted} not started${unknown}.`);
  } else if (receipt.status === 'nothing-to-do') lines.push('Apply complete: nothing to do.');
  else if (receipt.status === 'applied') lines.push(`Apply complete: ${s.applied} of ${s.tokens} tokens updated.`);
  else {
    lines.push(
      `Apply PARTIAL: ${s.applied} of ${s.tokens} tokens updated, ${s.conflicts} conflicts, ${s.failed} failed.`,
    );
  }
  return lines.join('\n') + '\n';
}
