import { applyPlan } from '../apply/executor.ts';
import type { Receipt } from '../apply/receipt.ts';
import { renderReceiptText } from '../apply/receipt-text.ts';
import type { Connection } from '../session/session.ts';
import type { Plan } from '../plan/types.ts';
import { escapeCodeLine, fenceFor } from '../render/markdown-escape.ts';
import type { ActionContext } from './action-context.ts';
import { setStatusLine, type CommentStatus, type FoundComment } from './pr-comment.ts';
import { logText } from './log-text.ts';
import { guardsFor } from './plan-step.ts';

// Applying a plan the Action may apply (reviewed on merge, or the checksum a maintainer gave):
// guards, then the CLI's executor; the comment, when there is one, records the outcome.

export async function applyStep(ctx: ActionContext, plan: Plan, conn: Connection, comment: FoundComment | null): Promise<boolean> {
  const { io } = ctx;
  const guards = guardsFor(plan, ctx.inputs);
  if (guards.selfWarning !== undefined) io.warning(logText(guards.selfWarning));
  if (guards.violations.length > 0) {
    io.fail(`Refused by safety guards (nothing was written): ${guards.violations.map(logText).join('; ')}`);
    await setCommentStatus(ctx, comment, 'apply-failed');
    return false;
  }
  for (const g of guards.overridden) io.warning(`guard overridden by allow-unsafe: ${logText(g)}`);
  const receipt = await applyPlan(plan, conn.writer, { overriddenGuards: guards.overridden, onProgress: (l) => io.info(logText(l)) });
  // Names and API messages in the receipt are data: one escaped line each.
  const text = renderReceiptText(forLog(receipt));
  io.info(text);
  const lines = renderReceiptText(receipt).trimEnd().split('\n').map(escapeCodeLine);
  const fence = fenceFor(lines);
  await io.summary(['#### Apply', '', `${fence}text`, ...lines, fence, ''].join('\n'));
  const ok = receipt.status !== 'partial';
  if (!ok) io.fail(`Apply was partial: ${receipt.summary.conflicts} conflict(s), ${receipt.summary.failed} failure(s).`);
  await setCommentStatus(ctx, comment, ok ? 'applied' : 'apply-failed');
  return ok;
}

function forLog(r: Receipt): Receipt {
  return {
    ...r,
    subjects: r.subjects.map(subjectForLog),
    overriddenGuards: r.overriddenGuards.map(logText),
  };
}

function subjectForLog<T extends Receipt['subjects'][number]>(t: T): T {
  const subject = { ...t.subject, name: logText(t.subject.name), id: logText(t.subject.id) };
  return { ...t, subject, ...(t.error === undefined ? {} : { error: logText(t.error) }) };
}

/** Rewrites the status line of the Action's own comment. */
export async function setCommentStatus(ctx: ActionContext, comment: FoundComment | null, status: CommentStatus): Promise<void> {
  if (comment === null || ctx.octokit === null) return;
  const body = setStatusLine(comment.body, status, ctx.runUrl);
  if (body === comment.body) return;
  await ctx.octokit.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: comment.id, body });
}
