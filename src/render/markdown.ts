import type { Plan, PlanAction, PlanBinding, PlanExpiration } from '../plan/types.ts';
import { MarkdownDoc } from './markdown-doc.ts';
import { code, escapeCodeLine, escapeMarkdownText as esc, fenceFor } from './markdown-escape.ts';
import { alignCells } from './width.ts';
import { changeCounts, countKinds, expirationState, groupByDeployment, keptCounts, MARKER, origin, roleChange, subjectLabel, type DeploymentGroup } from './wording.ts';
import { plural } from '../util/plural.ts';

// Markdown for PR comments and job summaries, rendered from the JSON plan alone. Summary first, so a
// comment cut to GitHub's size limit still says what matters; long sections are folded. Every string
// from the API or the manifest is escaped (see markdown-escape.ts); heading and footer are the
// caller's own markdown and are used as given.

export type ActionLabel = 'proposed' | 'drift';

export interface MarkdownOptions {
  /** Hard cap on the result's length (GitHub rejects comments over 65,536 characters). */
  maxChars?: number;
  heading?: string;
  /** Key `${deploymentId}/${subjectType}/${subjectId}` (labelKey): whether this pull request proposes the action or it is drift. */
  labels?: Map<string, ActionLabel>;
  footer?: string;
  /** Where the reader finds what a cut document leaves out. */
  fullPlanHint?: string;
}

export const DEFAULT_MAX_CHARS = 65_000;
/** A deployment with more action lines than this is folded into <details>. */
export const FOLD_AFTER_LINES = 15;

export function labelKey(a: Pick<PlanAction, 'deployment' | 'subject'>): string {
  return `${a.deployment.id}/${a.subject.type}/${a.subject.id}`;
}

function summaryLines(plan: Plan, labels: Map<string, ActionLabel> | undefined): string[] {
  if (plan.actions.length === 0) return ['**No changes.** The live roles match the manifest.'];
  let line = `**Plan:** ${changeCounts(plan.summary)}`;
  const lines: string[] = [];
  if (labels) {
    const n = { proposed: 0, drift: 0 };
    for (const a of plan.actions) {
      const l = labels.get(labelKey(a));
      if (l) n[l]++;
    }
    line += ` (${n.proposed} proposed by this pull request, ${n.drift} drift)`;
    if (n.drift > 0) lines.push('', '_drift_: the live roles differ from what the base branch already declares.');
  }
  return [line, ...lines];
}

function diffLines(actions: readonly PlanAction[], labels: Map<string, ActionLabel> | undefined): string[] {
  const rows = actions.map((a) => {
    const label = labels?.get(labelKey(a));
    return [
      MARKER[a.action], // the text output's markers: `!` means ignored there, never update
      escapeCodeLine(a.subject.name),
      `(${escapeCodeLine(a.subject.id)})`,
      escapeCodeLine(subjectLabel(a.subject)),
      escapeCodeLine(roleChange(a)),
      `# ${escapeCodeLine(origin(a))}${label ? ` (${label})` : ''}`,
    ];
  });
  return alignCells(rows).map((cells) => cells.join(' ').trimEnd());
}

function deploymentSection(doc: MarkdownDoc, g: DeploymentGroup, labels: Map<string, ActionLabel> | undefined): void {
  const d = g.deployment;
  doc.line(`#### Deployment ${esc(d.name)} (${code(d.id)}) in workspace ${esc(d.workspaceName)}`, '');
  const lines = diffLines(g.actions, labels);
  const fold = lines.length > FOLD_AFTER_LINES;
  if (fold) doc.openDetails(`${plural(lines.length, 'action')}: ${changeCounts(countKinds(g.actions))}`);
  const fence = fenceFor(lines);
  doc.openFence(fence, 'diff').line(...lines).closeFence(fence);
  if (fold) doc.closeDetails();
  doc.line('');
}

function bindingTable(doc: MarkdownDoc, title: string, bindings: readonly PlanBinding[]): void {
  if (bindings.length === 0) return;
  doc.openDetails(`${title} (${bindings.length})`);
  doc.line('| Deployment | Subject | ID | Kind | Role | Reason |', '|---|---|---|---|---|---|');
  for (const b of bindings) {
    const cells = [`${esc(b.deployment.name)} ${code(b.deployment.id)}`, esc(b.subject.name), code(b.subject.id), esc(subjectLabel(b.subject)), esc(b.role), esc(b.reason)];
    doc.line(`| ${cells.join(' | ')} |`);
  }
  doc.closeDetails().line('');
}

/** Grants that have ended or end within 7 days: what the scheduled run and a reviewer need to see. */
function expirationTable(doc: MarkdownDoc, expirations: readonly PlanExpiration[]): void {
  if (expirations.length === 0) return;
  const expired = expirations.filter((e) => e.expired).length;
  doc.openDetails(`Expirations (${expired} expired, ${expirations.length - expired} within 7 days)`);
  doc.line('| Deployment | Subject | ID | Kind | Role | Expires | Ends at (UTC) | State | Source |', '|---|---|---|---|---|---|---|---|---|');
  for (const e of expirations) {
    const cells = [
      `${esc(e.deployment.name)} ${code(e.deployment.id)}`, esc(e.subject.name), code(e.subject.id), esc(subjectLabel(e.subject)),
      esc(e.role), esc(e.expires), esc(e.endsAt), expirationState(e), esc(e.source),
    ];
    doc.line(`| ${cells.join(' | ')} |`);
  }
  doc.closeDetails().line('');
}

export function renderMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const doc = new MarkdownDoc();
  if (opts.heading !== undefined) doc.line(opts.heading, '');
  doc.line(...summaryLines(plan, opts.labels));
  const kept = keptCounts(plan.summary);
  if (kept !== '') doc.line('', `Not changed: ${kept}.`);
  doc.line('');
  if (plan.summary.remove > 0) {
    doc.line('> [!WARNING]', `> ${plural(plan.summary.remove, 'binding')} will be removed.`, '');
  }
  doc.line(`Organization ${code(plan.organizationId)}, plan checksum ${code(plan.checksum)}`, '');
  if (plan.warnings.length > 0) {
    doc.openDetails(`Warnings (${plan.warnings.length})`);
    doc.line(...plan.warnings.map((w) => `- ${esc(w)}`));
    doc.closeDetails().line('');
  }
  expirationTable(doc, plan.expirations);
  for (const g of groupByDeployment({ actions: plan.actions, unmanaged: [], ignored: [] })) deploymentSection(doc, g, opts.labels);
  bindingTable(doc, 'Unmanaged bindings, kept', plan.unmanaged);
  bindingTable(doc, 'Ignored bindings', plan.ignored);
  const hint = opts.fullPlanHint ?? 'the full plan is in the job summary / the plan file';
  return doc.render({
    maxChars: opts.maxChars ?? DEFAULT_MAX_CHARS,
    ...(opts.footer === undefined ? {} : { footer: opts.footer }),
    note: (hidden) => `_… ${hidden} more lines not shown: ${hint}._`,
  });
}
