import type { AstroWriter } from '../astro/api.ts';
import type { ApiTokenRole, SubjectRoles } from '../astro/types.ts';
import { AstroApiError } from '../errors.ts';
import { fingerprintRoles } from '../plan/fingerprint.ts';
import type { ActualToken } from '../astro/actual.ts';
import type { Plan, PlanAction } from '../plan/types.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';
import { alreadyLive, holdsAll, mergeRoles, ownScopeProblem, verifyResult, verifyRoles } from './merge-roles.ts';
import { receiptStatus, type Receipt, type TokenReceipt } from './receipt.ts';

/**
 * What the executor needs of the Astro API client: the token read and write, nothing else. The
 * command hands it the whole AstroWriter; tests hand it an in-memory fake of the API edge.
 */
export type ApplyClient = Pick<AstroWriter, 'getToken' | 'replaceTokenRoles'>;

/** One token finished: what the progress line shows. */
export interface ProgressEvent {
  done: number;
  total: number;
  status: string;
  tokenName: string;
}

export interface ApplyOptions {
  /** Tokens written at once. Each token is handled by one worker, so one token never sees two writes. */
  concurrency?: number;
  overriddenGuards?: string[];
  onProgress?: (line: string, event: ProgressEvent) => void;
  /** Once aborted: no new token is started, and no write is retried (a retry re-reads first, so a
   * write that landed is still recorded as applied). Writes in flight finish. */
  stop?: AbortSignal;
}

/** An apply under way: its final receipt, and at any moment the receipt of what is known so far. */
export interface ApplyRun {
  done: Promise<Receipt>;
  snapshot(): Receipt;
}

/** Group the plan's actions by token, in plan order. */
export function actionsByToken(plan: Plan): Map<string, PlanAction[]> {
  const byToken = new Map<string, PlanAction[]>();
  for (const a of plan.actions) {
    const list = byToken.get(a.subject.id);
    if (list) list.push(a);
    else byToken.set(a.subject.id, [a]);
  }
  return byToken;
}

/**
 * Carry out a plan, per token: re-read, compare with the plan's fingerprint (compare-and-swap: the
 * API has no ETag), merge, one POST with the whole list, verify. A failure on one token does not stop
 * the others; the receipt says what happened to each.
 */
export function applyPlan(plan: Plan, writer: ApplyClient, opts: ApplyOptions = {}): Promise<Receipt> {
  return startApply(plan, writer, opts).done;
}

/** applyPlan, with the receipt readable while it runs (an interrupted apply still writes one). */
export function startApply(plan: Plan, writer: ApplyClient, opts: ApplyOptions = {}): ApplyRun {
  const groups = [...actionsByToken(plan)];
  // Every token starts as not started; a worker replaces the entry with the live one it fills in.
  const receipts: TokenReceipt[] = groups.map(([tokenId, actions]) => ({
    tokenId,
    tokenName: actions[0]!.subject.name,
    status: 'not-started',
    actions,
    before: null,
    after: null,
    requestIds: [],
  }));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length && !opts.stop?.aborted) {
      const i = next++;
      const r = (receipts[i] = { ...receipts[i]! });
      await applyToken(plan, writer, r, opts.stop);
      done++;
      // Names, IDs and errors come from the API: escaped here, so no progress line can start a line of its own.
      const error = r.error ? `: ${sanitizeTerminal(r.error)}` : '';
      opts.onProgress?.(`[${done}/${groups.length}] ${r.status} ${sanitizeTerminal(r.tokenName)} (${sanitizeTerminal(r.tokenId)})${error}`, {
        done,
        total: groups.length,
        status: r.status,
        tokenName: r.tokenName,
      });
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, groups.length));
  const snapshot = (): Receipt => buildReceipt(plan, structuredClone(receipts), opts.overriddenGuards ?? []);
  return {
    done: Promise.all(Array.from({ length: width }, worker)).then(() => buildReceipt(plan, receipts, opts.overriddenGuards ?? [])),
    snapshot,
  };
}

function buildReceipt(plan: Plan, receipts: TokenReceipt[], overriddenGuards: string[]): Receipt {
  const count = (s: TokenReceipt['status']): number => receipts.filter((r) => r.status === s).length;
  return {
    formatVersion: 1,
    organizationId: plan.organizationId,
    checksum: plan.checksum,
    status: receiptStatus(receipts),
    summary: {
      tokens: receipts.length,
      applied: count('applied'),
      alreadyApplied: count('already-applied'),
      conflicts: count('conflict'),
      failed: count('failed'),
      interrupted: count('interrupted'),
      notStarted: count('not-started'),
    },
    overriddenGuards,
    tokens: receipts,
  };
}

/** How a re-read before a retried POST ended the retries: the write had landed, someone else wrote, or the apply was interrupted. */
class RetryStopped extends Error {
  constructor(readonly outcome: 'landed' | 'conflict' | 'interrupted') {
    super(outcome);
  }
}

/** Carries out one token's actions, filling in its receipt as it goes (so a snapshot shows the progress). */
async function applyToken(plan: Plan, writer: ApplyClient, receipt: TokenReceipt, stop: AbortSignal | undefined): Promise<void> {
  const { tokenId, actions } = receipt;
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

/** The server's refusal of the write itself (a 4xx to the POST): nothing was written, nothing to confirm. */
function refusedOutright(err: unknown): boolean {
  return err instanceof AstroApiError && err.method === 'POST' && err.status !== undefined && err.status >= 400 && err.status < 500;
}

function describeFailure(err: unknown): string {
  if (err instanceof AstroApiError && err.status === 404) return `token not found (deleted since the plan?): ${err.message}`;
  if (err instanceof AstroApiError && err.hint) return `${err.message}; ${err.hint}`;
  return err instanceof Error ? err.message : String(err);
}
