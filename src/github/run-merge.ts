import { applyPlan } from '../apply/executor.ts';
import { renderReceiptText } from '../apply/receipt-text.ts';
import type { Connection } from '../commands/context.ts';
import type { Plan } from '../plan/types.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { escapeCodeLine, fenceFor } from '../render/markdown-escape.ts';
import type { ActionContext } from './action-context.ts';
import { parseChecksum, setStatusLine, type CommentStatus } from './comment-body.ts';
import type { GitHubEvent } from './event.ts';
import { GITHUB_BODY_LIMIT } from './limit.ts';
import { findMergedPull } from './merged-pull.ts';
import { guardsFor, loadAndPlan, publishPlan, summaryMarkdown } from './plan-step.ts';
import { findStickyComment, manifestSetKey, planMarker, type FoundComment } from './sticky-comment.ts';

// push to the default branch: re-plan, and apply only the plan the reviewers saw — its checksum is
// on the merged pull request's comment. Then the comment's status line says how it went.

type PushEvent = Extract<GitHubEvent, { kind: 'push' }>;

export async function runMerge(ctx: ActionContext, event: PushEvent): Promise<void> {
  const { io, octokit } = ctx;
  const run = await loadAndPlan(ctx, 'to apply', '; nothing was applied');
  if (run === null) return;
  const { plan, conn } = run;
  const branch = event.ref.replace(/^refs\/heads\//, '');
  try {
    await publishPlan(io, plan);
    await io.summary(summaryMarkdown(plan, `### astro-access plan · ${event.sha.slice(0, 7)}`));
    // Nothing to write is never a refusal: a re-run after a successful apply, or roles already set by hand.
    if (plan.actions.length === 0) return io.info('The live roles already match the manifest: nothing to apply.');
    const pull = octokit === null ? null : await findMergedPull(octokit, { owner: ctx.owner, repo: ctx.repo, sha: event.sha, baseRef: branch });
    if (pull === null || octokit === null) {
      if (!ctx.inputs.allowDirectPush) {
        io.fail(
          octokit === null
            ? 'No github-token, so the merged pull request and the plan it reviewed cannot be found; nothing was applied.'
            : `${event.sha.slice(0, 7)} was pushed without a pull request, so no reviewed plan exists; nothing was applied. ` +
                'Open a pull request, or set the input allow-direct-push: true to apply direct pushes.',
        );
        return;
      }
      io.notice('Applying a direct push (allow-direct-push: true): no pull request reviewed this plan.');
      await apply(ctx, plan, conn, null);
      return;
    }

    const marker = planMarker(manifestSetKey(run.files));
    const comment = await findStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber: pull.number, marker });
    const reviewed = comment === null ? null : parseChecksum(comment.body);
    if (reviewed !== plan.checksum) {
      const what = reviewed === null
        ? `pull request #${pull.number} has no astro-access plan comment with a checksum`
        : `the plan changed since pull request #${pull.number} was reviewed (reviewed ${reviewed}, now ${plan.checksum})`;
      await setStatus(ctx, comment, 'plan-changed');
      await postPlanChanged(ctx, pull.number, what, plan);
      io.fail(`plan-changed: ${what}; nothing was applied. Re-plan in a new pull request.`);
      return;
    }
    const ok = await apply(ctx, plan, conn, comment);
    if (ok) io.info(`Applied the plan reviewed on pull request #${pull.number}.`);
  } finally {
    await conn.close();
  }
}

/** Guards, then the CLI's executor; the comment (when there is one) records the outcome. */
async function apply(ctx: ActionContext, plan: Plan, conn: Connection, comment: FoundComment | null): Promise<boolean> {
  const { io } = ctx;
  const guards = guardsFor(plan, ctx.inputs);
  if (guards.selfWarning !== undefined) io.warning(guards.selfWarning);
  if (guards.violations.length > 0) {
    await setStatus(ctx, comment, 'apply-failed');
    io.fail(`Refused by safety guards (nothing was written):\n${guards.violations.map((v) => `  - ${v}`).join('\n')}`);
    return false;
  }
  for (const g of guards.overridden) io.warning(`guard overridden by allow-unsafe: ${g}`);
  const receipt = await applyPlan(plan, conn.writer, { overriddenGuards: guards.overridden, onProgress: (l) => io.info(l) });
  const text = renderReceiptText(receipt);
  io.info(text);
  const lines = text.trimEnd().split('\n').map(escapeCodeLine);
  const fence = fenceFor(lines);
  await io.summary(['#### Apply', '', `${fence}text`, ...lines, fence, ''].join('\n'));
  const ok = receipt.status !== 'partial';
  await setStatus(ctx, comment, ok ? 'applied' : 'apply-failed');
  if (!ok) io.fail(`Apply was partial: ${receipt.summary.conflicts} conflict(s), ${receipt.summary.failed} failure(s).`);
  return ok;
}

async function setStatus(ctx: ActionContext, comment: FoundComment | null, status: CommentStatus): Promise<void> {
  if (comment === null || ctx.octokit === null) return;
  const body = setStatusLine(comment.body, status, ctx.runUrl);
  if (body === comment.body) return;
  await ctx.octokit.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: comment.id, body });
}

/** What differs: the plan as it is now, on the pull request the reviewers approved. */
async function postPlanChanged(ctx: ActionContext, number: number, what: string, plan: Plan): Promise<void> {
  if (ctx.octokit === null) return;
  const run = ctx.runUrl === undefined ? '' : ` ([workflow run](${ctx.runUrl}))`;
  const top = `**⚠️ astro-access did not apply this merge**${run}: ${what}. The plan now:\n\n`;
  const body = top + renderMarkdown(plan, {
    maxChars: GITHUB_BODY_LIMIT - top.length - 200,
    fullPlanHint: 'the full plan is in the job summary of the workflow run',
  });
  await ctx.octokit.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: number, body });
}
