import type { SubjectRoles } from '../astro/types.ts';
import { AstroApiError } from '../errors.ts';
import type { PlanAction, SubjectType } from '../plan/types.ts';
import type { SubjectStatus } from './receipt.ts';
import { describeFailure, refusedOutright, RetryStopped } from './write-outcome.ts';

// One subject's compare-and-swap write, the same for tokens, users and teams (the API has no ETag):
// read, compare with the plan's fingerprint, build the whole new role set from that read, one POST,
// confirm. What differs per kind (the read, the merge, what counts as landed) is a CasSubject.

/** One subject's read and write, and how to judge them. R: what a read gives; B: the body sent; Before: what the receipt keeps of the first read. */
export interface CasSubject<R, B, Before> {
  type: SubjectType;
  /** The plan's fingerprint of this subject; undefined when the plan holds none. */
  expected: string | undefined;
  read(): Promise<R>;
  fingerprint(read: R): string;
  /** The read already gives each owned deployment the planned role. */
  alreadyLive(read: R): boolean;
  /** The body to send for this read, or why nothing may be sent. */
  build(read: R): { body: B } | { problem: string };
  /** The read shows the body sent (allowing only what the server adds on its own). */
  landed(now: R, sent: B): boolean;
  write(body: B, beforeRetry: () => Promise<B>): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
  /** The POST's answer alone shows the write took effect (else a GET decides). */
  answerConfirms(result: SubjectRoles): boolean;
  /** How the read after the write differs from what the plan meant; empty when it does not. */
  mismatches(now: R, sent: B): string[];
  /** What the receipt records of a read. */
  record(read: R): Before;
}

/** The receipt fields a write fills in as it goes (so a snapshot shows its progress). */
export interface CasReceipt<Before, After> {
  status: SubjectStatus;
  actions: PlanAction[];
  before: Before | null;
  after: After | null;
  requestIds: string[];
  error?: string;
}

export async function casWrite<R, B, Before>(s: CasSubject<R, B, Before>, receipt: CasReceipt<Before, B>, stop: AbortSignal | undefined): Promise<void> {
  const { type, expected } = s;
  receipt.status = 'interrupted'; // until it ends one way or another
  try {
    const first = await s.read();
    receipt.before = s.record(first);
    const changed = s.fingerprint(first) !== expected;
    if (expected !== undefined && changed && s.alreadyLive(first)) {
      receipt.status = 'already-applied';
      return;
    }
    if (expected === undefined || changed) {
      receipt.status = 'conflict';
      receipt.error = expected === undefined
        ? `the plan holds no fingerprint for this ${type}; nothing written`
        : 'its roles changed since the plan was made; nothing written (plan again)';
      return;
    }
    const built = s.build(first);
    if ('problem' in built) {
      receipt.status = 'failed';
      receipt.error = built.problem;
      return;
    }
    let sent = built.body;
    // Before each retry: the subject as it is now decides. Holding what was sent: the write landed.
    // Holding what was planned: retry with a body built from this read. Anything else: someone else
    // wrote meanwhile, and resending would erase it.
    const beforeRetry = async (): Promise<B> => {
      const now = await s.read();
      if (s.landed(now, sent)) throw new RetryStopped('landed');
      if (s.fingerprint(now) !== expected) throw new RetryStopped('conflict');
      if (stop?.aborted) throw new RetryStopped('interrupted');
      const again = s.build(now);
      if ('problem' in again) throw new Error(again.problem); // as planned, so as buildable as the first read
      sent = again.body;
      return sent;
    };
    let result: SubjectRoles | undefined;
    try {
      const answer = await s.write(sent, beforeRetry);
      if (answer.requestId) receipt.requestIds.push(answer.requestId);
      result = answer.result;
    } catch (err) {
      if (!(err instanceof RetryStopped)) {
        if (refusedOutright(err)) throw err;
        return await settleUnknownWrite(s, receipt, sent, err);
      }
      if (err.outcome === 'conflict') {
        receipt.status = 'conflict';
        receipt.error = 'its roles changed while the write was retried (someone else wrote); nothing more written (plan again)';
        return;
      }
      if (err.outcome === 'interrupted') {
        receipt.status = 'interrupted';
        receipt.error = `the write failed and apply was interrupted before its retry; the ${type} is as it was (re-read)`;
        return;
      }
      // landed: the re-read that showed it is the confirmation
    }
    receipt.after = sent;

    // The answer is not proof (it may be `{}`, or not document these roles): unless it shows them, one GET decides.
    let problems: string[] = [];
    if (result !== undefined && !s.answerConfirms(result)) {
      try {
        problems = s.mismatches(await s.read(), sent);
      } catch (err) {
        receipt.status = 'failed';
        receipt.error = `written (the server accepted it), but the confirming read failed: ${describeFailure(err, type)}`;
        return;
      }
    }
    if (problems.length > 0) {
      receipt.status = 'failed';
      receipt.error = `written, but the result does not match: ${problems.join('; ')}`;
      return;
    }
    receipt.status = 'applied';
  } catch (err) {
    receipt.status = 'failed';
    receipt.error = describeFailure(err, type);
    if (err instanceof AstroApiError && err.requestId) receipt.requestIds.push(err.requestId);
  }
}

/**
 * A write that ended without a verdict (a timeout, a reset, a 5xx, an unreadable 2xx, a failed re-read)
 * may have landed: one more GET decides what the receipt says, never a guess.
 */
async function settleUnknownWrite<R, B, Before>(s: CasSubject<R, B, Before>, receipt: CasReceipt<Before, B>, sent: B, err: unknown): Promise<void> {
  const { type } = s;
  receipt.status = 'failed';
  let now: R;
  try {
    now = await s.read();
  } catch (readErr) {
    receipt.error = `${describeFailure(err, type)}; the write may have landed, and the ${type} could not be re-read (${describeFailure(readErr, type)}): plan again`;
    return;
  }
  if (s.landed(now, sent)) {
    receipt.status = 'applied';
    receipt.after = sent;
  } else if (s.fingerprint(now) === s.expected) {
    receipt.error = `${describeFailure(err, type)}; nothing written (the ${type} is as planned)`;
  } else {
    receipt.error = `${describeFailure(err, type)}; the ${type} changed: the write may have landed in part or someone else wrote (plan again)`;
  }
}
