import type { AstroWriter } from '../astro/api.ts';
import { AstroApiError } from '../errors.ts';
import { fingerprintRoles } from '../plan/fingerprint.ts';
import type { Plan, PlanAction } from '../plan/types.ts';
import type { ProgressEvent } from '../render/progress.ts';
import { alreadyLive, mergeRoles, verifyResult } from './merge-roles.ts';
import { receiptStatus, type Receipt, type TokenReceipt } from './receipt.ts';

export interface ApplyOptions {
  /** Tokens written at once. Each token is handled by one worker, so one token never sees two writes. */
  concurrency?: number;
  overriddenGuards?: string[];
  onProgress?: (line: string, event: ProgressEvent) => void;
}

/** Group the plan's actions by token, in plan order. */
export function actionsByToken(plan: Plan): Map<string, PlanAction[]> {
  const byToken = new Map<string, PlanAction[]>();
  for (const a of plan.actions) {
    const list = byToken.get(a.token.id);
    if (list) list.push(a);
    else byToken.set(a.token.id, [a]);
  }
  return byToken;
}

/**
 * Carry out a plan, per token: re-read, compare with the plan's fingerprint (compare-and-swap: the
 * API has no ETag), merge, one POST with the whole list, verify. A failure on one token does not stop
 * the others; the receipt says what happened to each.
 */
export async function applyPlan(plan: Plan, writer: AstroWriter, opts: ApplyOptions = {}): Promise<Receipt> {
  const groups = [...actionsByToken(plan)];
  const receipts: TokenReceipt[] = new Array(groups.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const i = next++;
      const [tokenId, actions] = groups[i]!;
      const r = (receipts[i] = await applyToken(plan, writer, tokenId, actions));
      done++;
      opts.onProgress?.(`[${done}/${groups.length}] ${r.status} ${r.tokenName} (${r.tokenId})${r.error ? `: ${r.error}` : ''}`, {
        done,
        total: groups.length,
        status: r.status,
        tokenName: r.tokenName,
      });
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, groups.length));
  await Promise.all(Array.from({ length: width }, worker));

  return {
    formatVersion: 1,
    organizationId: plan.organizationId,
    checksum: plan.checksum,
    status: receiptStatus(receipts),
    summary: {
      tokens: receipts.length,
      applied: receipts.filter((r) => r.status === 'applied').length,
      alreadyApplied: receipts.filter((r) => r.status === 'already-applied').length,
      conflicts: receipts.filter((r) => r.status === 'conflict').length,
      failed: receipts.filter((r) => r.status === 'failed').length,
    },
    overriddenGuards: opts.overriddenGuards ?? [],
    tokens: receipts,
  };
}

async function applyToken(
  plan: Plan,
  writer: AstroWriter,
  tokenId: string,
  actions: PlanAction[],
): Promise<TokenReceipt> {
  const receipt: TokenReceipt = {
    tokenId,
    tokenName: actions[0]!.token.name,
    status: 'failed',
    actions,
    before: null,
    after: null,
    requestIds: [],
  };
  try {
    const { token, requestId } = await writer.getToken(tokenId);
    if (requestId) receipt.requestIds.push(requestId);
    receipt.before = token.roles;

    const expected = plan.tokens[tokenId]?.fingerprint;
    if (expected !== undefined && fingerprintRoles(token.roles) !== expected && alreadyLive(token.roles, actions)) {
      receipt.status = 'already-applied';
      return receipt;
    }
    if (expected === undefined || fingerprintRoles(token.roles) !== expected) {
      receipt.status = 'conflict';
      receipt.error = expected === undefined
        ? 'the plan holds no fingerprint for this token; nothing written'
        : 'its roles changed since the plan was made; nothing written (plan again)';
      return receipt;
    }

    const roles = mergeRoles(token.roles, actions);
    if (roles.length === 0) {
      receipt.error = 'the new role list would be empty, which the API refuses; nothing written';
      return receipt;
    }
    receipt.after = roles;
    const { result, requestId: postId } = await writer.replaceTokenRoles(tokenId, roles);
    if (postId) receipt.requestIds.push(postId);

    const problems = verifyResult(result, actions);
    if (problems.length > 0) {
      receipt.error = `written, but the result does not match: ${problems.join('; ')}`;
      return receipt;
    }
    receipt.status = 'applied';
  } catch (err) {
    receipt.error = describeFailure(err);
    if (err instanceof AstroApiError && err.requestId) receipt.requestIds.push(err.requestId);
  }
  return receipt;
}

function describeFailure(err: unknown): string {
  if (err instanceof AstroApiError && err.status === 404) return `token not found (deleted since the plan?): ${err.message}`;
  if (err instanceof AstroApiError && err.hint) return `${err.message}; ${err.hint}`;
  return err instanceof Error ? err.message : String(err);
}
