import type { AstroWriter } from '../astro/api.ts';
import type { ActualToken } from '../astro/actual.ts';
import type { ApiTokenRole, SubjectRoles } from '../astro/types.ts';
import { AstroApiError } from '../errors.ts';
import { fingerprintRoles } from '../plan/fingerprint.ts';
import type { Plan } from '../plan/types.ts';
import { alreadyLive, holdsAll, mergeRoles, ownScopeProblem, verifyResult, verifyRoles } from './merge-roles.ts';
import type { TokenReceipt } from './receipt.ts';
import { describeFailure, refusedOutright, RetryStopped } from './write-outcome.ts';

// One token's compare-and-swap write: re-read, compare with the plan's fingerprint (the API has no
// ETag), merge, one POST with the whole list, verify.

export type TokenClient = Pick<AstroWriter, 'getToken' | 'replaceTokenRoles'>;

/** Carries out one token's actions, filling in its receipt as it goes (so a snapshot shows the progress). */
export async function applyToken(plan: Plan, writer: TokenClient, receipt: TokenReceipt, stop: AbortSignal | undefined): Promise<void> {
  const { subject, actions } = receipt;
  const tokenId = subject.id;
  receipt.status = 'interrupted'; // until it ends one way or another
  const read = async (): Promise<ActualToken> => {
    const { token, requestId } = await writer.getToken(tokenId);
    if (requestId) receipt.requestIds.push(requestId);
    return token;
  };
  try {
    const token = await read();
    receipt.before = token.roles;

    const expected = plan.tokens[tokenId]?.fingerprint;
    if (expected !== undefined && fingerprintRoles(token.roles) !== expected && alreadyLive(token.roles, actions)) {
      receipt.status = 'already-applied';
      return;
    }
    if (expected === undefined || fingerprintRoles(token.roles) !== expected) {
      receipt.status = 'conflict';
      receipt.error = expected === undefined
        ? 'the plan holds no fingerprint for this token; nothing written'
        : 'its roles changed since the plan was made; nothing written (plan again)';
      return;
    }

    let sent = mergeRoles(token.roles, actions);
    const unsafe = ownScopeProblem(token.scope, sent);
    if (unsafe) {
      receipt.status = 'failed';
      receipt.error = `${unsafe}; nothing written`;
      return;
    }
    // Before each retry: the token as it is now decides. Holding what was sent (every entry, and the
    // owned deployments exactly as planned; a server may add entries of its own): the write landed.
    // Holding what was planned: retry with a list built from this read. Anything else: someone else
    // wrote meanwhile, and resending would erase it.
    const beforeRetry = async (): Promise<ApiTokenRole[]> => {
      const now = await read();
      if (holdsAll(now.roles, sent) && verifyRoles(now.roles, actions).length === 0) throw new RetryStopped('landed');
      if (fingerprintRoles(now.roles) !== expected) throw new RetryStopped('conflict');
      if (stop?.aborted) throw new RetryStopped('interrupted');
      sent = mergeRoles(now.roles, actions);
      return sent;
    };
    // A write that ended without a verdict (a timeout, a reset, a 5xx, an unreadable 2xx, a failed
    // re-read) may have landed: one more GET decides what the receipt says, never a guess.
    const settleUnknownWrite = async (err: unknown): Promise<void> => {
      receipt.status = 'failed';
      let now: ActualToken;
      try {
        now = await read();
      } catch (readErr) {
        receipt.error = `${describeFailure(err)}; the write may have landed, and the token could not be re-read (${describeFailure(readErr)}): plan again`;
        return;
      }
      if (holdsAll(now.roles, sent) && verifyRoles(now.roles, actions).length === 0) {
        receipt.status = 'applied';
        receipt.after = sent;
      } else if (fingerprintRoles(now.roles) === expected) {
        receipt.error = `${describeFailure(err)}; nothing written (the token is as planned)`;
      } else {
        receipt.error = `${describeFailure(err)}; the token changed: the write may have landed in part or someone else wrote (plan again)`;
      }
    };
    let result: SubjectRoles | undefined;
    try {
      const answer = await writer.replaceTokenRoles(tokenId, sent, { beforeRetry });
      if (answer.requestId) receipt.requestIds.push(answer.requestId);
      result = answer.result;
    } catch (err) {
      if (!(err instanceof RetryStopped)) {
        if (refusedOutright(err)) throw err;
        return await settleUnknownWrite(err);
      }
      if (err.outcome === 'conflict') {
        receipt.status = 'conflict';
        receipt.error = 'its roles changed while the write was retried (someone else wrote); nothing more written (plan again)';
        return;
      }
      if (err.outcome === 'interrupted') {
        receipt.status = 'interrupted';
        receipt.error = 'the write failed and apply was interrupted before its retry; the token is as it was (re-read)';
        return;
      }
    }
    receipt.after = sent;

    // The answer is not proof (it may be `{}`): when it does not show the owned roles, one GET decides.
    let problems = result === undefined ? [] : verifyResult(result, actions);
    if (problems.length > 0) {
      try {
        problems = verifyRoles((await read()).roles, actions);
      } catch (err) {
        receipt.status = 'failed';
        receipt.error = `written (the server accepted it), but the confirming read failed: ${describeFailure(err)}`;
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
    receipt.error = describeFailure(err);
    if (err instanceof AstroApiError && err.requestId) receipt.requestIds.push(err.requestId);
  }
}
