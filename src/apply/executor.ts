import type { AstroWriter } from '../astro/api.ts';
import type { Plan, PlanAction, SubjectType } from '../plan/types.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';
import { isTokenReceipt, receiptStatus, subjectNoun, type Receipt, type SubjectReceipt } from './receipt.ts';
import { applyToken } from './write-token.ts';
import { applyUserOrTeam } from './write-user-team.ts';

/**
 * What the executor needs of the Astro API client: the reads and roles writes of tokens, users and
 * teams, nothing else. The command hands it the whole AstroWriter; tests hand it an in-memory fake of
 * the API edge.
 */
export type ApplyClient = Pick<AstroWriter, 'getToken' | 'replaceTokenRoles' | 'getUser' | 'getTeam' | 'updateUserRoles' | 'updateTeamRoles'>;

/** One subject finished: what the progress line shows. */
export interface ProgressEvent {
  done: number;
  total: number;
  status: string;
  subjectType: SubjectType;
  subjectName: string;
  /** The noun for the total: `tokens`, `users`, `teams`, or `subjects` when the plan mixes them. */
  unit: string;
}

export interface ApplyOptions {
  /** Subjects written at once. Each subject is handled by one worker, so one subject never sees two writes. */
  concurrency?: number;
  overriddenGuards?: string[];
  onProgress?: (line: string, event: ProgressEvent) => void;
  /** Once aborted: no new subject is started, and no write is retried (a retry re-reads first, so a
   * write that landed is still recorded as applied). Writes in flight finish. */
  stop?: AbortSignal;
}

/** An apply under way: its final receipt, and at any moment the receipt of what is known so far. */
export interface ApplyRun {
  done: Promise<Receipt>;
  snapshot(): Receipt;
}

/** Group the plan's actions by subject (type and ID: a user and a token never share a group), in plan order. */
export function actionsBySubject(plan: Plan): PlanAction[][] {
  const bySubject = new Map<string, PlanAction[]>();
  for (const a of plan.actions) {
    const key = `${a.subject.type}:${a.subject.id}`;
    const list = bySubject.get(key);
    if (list) list.push(a);
    else bySubject.set(key, [a]);
  }
  return [...bySubject.values()];
}

/**
 * Carry out a plan, per subject (token, user or team): re-read, compare with the plan's fingerprint
 * (compare-and-swap: the API has no ETag), merge, one POST with the whole role set, verify. A failure on
 * one subject does not stop the others; the receipt says what happened to each.
 */
export function applyPlan(plan: Plan, client: ApplyClient, opts: ApplyOptions = {}): Promise<Receipt> {
  return startApply(plan, client, opts).done;
}

/** applyPlan, with the receipt readable while it runs (an interrupted apply still writes one). */
export function startApply(plan: Plan, client: ApplyClient, opts: ApplyOptions = {}): ApplyRun {
  // Every subject starts as not started; a worker replaces the entry with the live one it fills in.
  const receipts: SubjectReceipt[] = actionsBySubject(plan).map(notStarted);
  const unit = `${subjectNoun(receipts.map((r) => r.subject.type))}s`;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < receipts.length && !opts.stop?.aborted) {
      const i = next++;
      const r = (receipts[i] = { ...receipts[i]! });
      await (isTokenReceipt(r) ? applyToken(plan, client, r, opts.stop) : applyUserOrTeam(plan, client, r, opts.stop));
      done++;
      // Names, IDs and errors come from the API: escaped here, so no progress line can start a line of its own.
      const { type, name, id } = r.subject;
      const error = r.error ? `: ${sanitizeTerminal(r.error)}` : '';
      opts.onProgress?.(`[${done}/${receipts.length}] ${r.status} ${type} ${sanitizeTerminal(name)} (${sanitizeTerminal(id)})${error}`, {
        done,
        total: receipts.length,
        status: r.status,
        subjectType: type,
        subjectName: name,
        unit,
      });
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, receipts.length));
  const snapshot = (): Receipt => buildReceipt(plan, structuredClone(receipts), opts.overriddenGuards ?? []);
  return {
    done: Promise.all(Array.from({ length: width }, worker)).then(() => buildReceipt(plan, receipts, opts.overriddenGuards ?? [])),
    snapshot,
  };
}

function notStarted(actions: PlanAction[]): SubjectReceipt {
  const { type, id, name, scope } = actions[0]!.subject;
  const entry = { status: 'not-started' as const, actions, before: null, after: null, requestIds: [] };
  if (type === 'token') return { subject: { type, id, name, ...(scope === undefined ? {} : { scope }) }, ...entry };
  return { subject: { type, id, name }, ...entry };
}

function buildReceipt(plan: Plan, receipts: SubjectReceipt[], overriddenGuards: string[]): Receipt {
  const count = (s: SubjectReceipt['status']): number => receipts.filter((r) => r.status === s).length;
  return {
    formatVersion: 2,
    organizationId: plan.organizationId,
    checksum: plan.checksum,
    status: receiptStatus(receipts),
    summary: {
      subjects: receipts.length,
      applied: count('applied'),
      alreadyApplied: count('already-applied'),
      conflicts: count('conflict'),
      failed: count('failed'),
      interrupted: count('interrupted'),
      notStarted: count('not-started'),
    },
    overriddenGuards,
    subjects: receipts,
  };
}
