import { entryKey as bindingKey } from '../plan/expiry.ts';
import type { Plan, PlanAction, PlanExpiration } from '../plan/types.ts';
import { MarkdownDoc } from '../render/markdown-doc.ts';
import { code, escapeMarkdownText as esc } from '../render/markdown-escape.ts';
import { roleChange, subjectLabel } from '../render/wording.ts';
import { plural } from '../util/plural.ts';

// What the drift check says about time-boxed grants, from the plan alone: which declared grants have
// ended or end within 7 days (plan.expirations), which ended grants are still held, and what
// apply-expirations did with them. Pure; every string from the plan is escaped for markdown.

/** What the drift check did about expiry removals (apply-expirations.ts decides). */
export type ExpiryOutcome =
  /** apply-expirations is off, or the plan has no actions. */
  | { kind: 'off' }
  /** The input is on but this run may not apply (an event or branch it does not cover). */
  | { kind: 'not-here'; why: string }
  /** The plan has actions other than expiry removals: nothing was applied. */
  | { kind: 'blocked'; blocking: PlanAction[] }
  /** An expiry-only plan the safety guards refused: nothing was applied. */
  | { kind: 'refused'; violations: string[] }
  /** Every expiry removal was written and confirmed. */
  | { kind: 'applied'; removed: PlanAction[] }
  /** The apply ran but not every subject was written (conflicts, failures): see its receipt. */
  | { kind: 'partial'; removals: PlanAction[] };

/**
 * Ended grants whose live binding still holds: the plan removes it (prune on) or keeps it as unmanaged
 * (prune off). An ended grant with no live binding left is only a stale manifest entry.
 */
export function heldAfterExpiry(plan: Pick<Plan, 'expirations' | 'actions' | 'unmanaged'>): PlanExpiration[] {
  const live = new Set([...plan.actions.filter((a) => a.action === 'remove'), ...plan.unmanaged].map(bindingKey));
  return plan.expirations.filter((e) => e.expired && live.has(bindingKey(e)));
}

/**
 * Whether the drift issue stays (or is) open: actions are left to apply, or a grant that has ended
 * still holds. Grants that only end soon are no drift: the manifest says they hold until then.
 */
export function driftRemains(plan: Plan, outcome: ExpiryOutcome): boolean {
  const removed = removedBy(outcome);
  return plan.actions.some((a) => !removed.has(bindingKey(a))) || stillHeld(plan, outcome).length > 0;
}

/** Ended grants still held once this run is done: heldAfterExpiry less what apply-expirations removed. */
export function stillHeld(plan: Plan, outcome: ExpiryOutcome): PlanExpiration[] {
  const removed = removedBy(outcome);
  return heldAfterExpiry(plan).filter((e) => !removed.has(bindingKey(e)));
}

const removedBy = (outcome: ExpiryOutcome): Set<string> => new Set(outcome.kind === 'applied' ? outcome.removed.map(bindingKey) : []);

function status(e: PlanExpiration, held: ReadonlySet<string>, removed: ReadonlySet<string>): string {
  if (!e.expired) return 'ends within 7 days';
  if (removed.has(bindingKey(e))) return '**expired: removed by this run**';
  if (held.has(bindingKey(e))) return '**expired, still held**';
  return 'expired, no longer held (delete the entry)';
}

/** The expirations table (upcoming and past), or nothing when the plan lists none. */
export function expirationsMarkdown(plan: Plan, outcome: ExpiryOutcome, opts: { maxChars: number }): string {
  if (plan.expirations.length === 0) return '';
  const held = new Set(heldAfterExpiry(plan).map(bindingKey));
  const removed = removedBy(outcome);
  const ended = plan.expirations.filter((e) => e.expired).length;
  const doc = new MarkdownDoc();
  doc.line(`#### Expiring grants: ${ended} ended, ${plan.expirations.length - ended} ending within 7 days`, '');
  const heldCount = [...held].filter((k) => !removed.has(k)).length;
  if (heldCount > 0) {
    doc.line('> [!IMPORTANT]', `> ${plural(heldCount, 'grant')} the manifest ended ${heldCount === 1 ? 'is' : 'are'} still held on a deployment.`, '');
  }
  doc.line('| Status | Deployment | Subject | ID | Kind | Role | Expires | Ends at (UTC) | Entry |', '|---|---|---|---|---|---|---|---|---|');
  const order = [...plan.expirations].sort((a, b) => Number(b.expired) - Number(a.expired) || a.endsAt.localeCompare(b.endsAt));
  for (const e of order) {
    const cells = [
      status(e, held, removed),
      `${esc(e.deployment.name)} ${code(e.deployment.id)}`,
      esc(e.subject.name),
      code(e.subject.id),
      esc(subjectLabel(e.subject)),
      esc(e.role),
      esc(e.expires),
      code(e.endsAt),
      code(e.source),
    ];
    doc.line(`| ${cells.join(' | ')} |`);
  }
  return doc.render({ maxChars: opts.maxChars, note: (n) => `_… ${n} more lines of expiring grants not shown: see the plan file._` });
}

function actionLine(a: PlanAction): string {
  const what = `${a.action} ${esc(subjectLabel(a.subject))} ${esc(a.subject.name)} ${code(a.subject.id)}`;
  return `- ${what} on ${esc(a.deployment.name)} ${code(a.deployment.id)}: ${esc(roleChange(a))} (${esc(a.reason)})`;
}

/** What apply-expirations did, or why it did nothing; '' when it was off. */
export function expiryOutcomeMarkdown(outcome: ExpiryOutcome, opts: { maxChars: number }): string {
  const doc = new MarkdownDoc();
  switch (outcome.kind) {
    case 'off':
      return '';
    case 'not-here':
      doc.line('#### apply-expirations', '', `Nothing was applied: ${esc(outcome.why)}.`);
      break;
    case 'blocked':
      doc.line(
        '#### apply-expirations: nothing applied',
        '',
        `apply-expirations applies a plan made only of expiry removals. This plan also has ${plural(outcome.blocking.length, 'other action')}, ` +
          'so nothing was applied; the expired grants stay until the whole plan is applied. Blocking:',
        '',
        ...outcome.blocking.map(actionLine),
      );
      break;
    case 'refused':
      doc.line(
        '#### apply-expirations: refused by the safety guards',
        '',
        'Nothing was applied (allow-unsafe does not extend to apply-expirations):',
        '',
        ...outcome.violations.map((v) => `- ${esc(v)}`),
      );
      break;
    case 'applied':
      doc.line(`#### apply-expirations: removed ${plural(outcome.removed.length, 'expired grant')}`, '', ...outcome.removed.map(actionLine));
      break;
    case 'partial':
      doc.line(
        '#### apply-expirations: partly applied',
        '',
        `Not every removal was written (see the apply receipt in the job summary of this run). Attempted:`,
        '',
        ...outcome.removals.map(actionLine),
      );
      break;
  }
  return doc.render({ maxChars: opts.maxChars, note: (n) => `_… ${n} more lines not shown: see the plan file._` });
}
