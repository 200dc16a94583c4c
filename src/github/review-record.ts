import type { ActionContext } from './action-context.ts';
import { logText } from './log-text.ts';
import { githubMessage, isWriteForbidden } from './octokit.ts';
import { PLAN_STATUS_CONTEXT, planStatusDescription, readPlanStatus, writePlanStatus, type PlanStatusState } from './plan-status.ts';
import { upsertStickyComment } from './pr-comment.ts';

// What a pull-request run records on GitHub: the sticky comment (when commenting is on) and the
// commit status `astro-access/plan` on the head commit. A fork's read-only token is a notice, never
// a failure. Anything else that keeps the record from being written fails the run (after the outputs
// and summary were written): a merge applies only a recorded plan, so green must mean it is recorded.

export interface Review {
  issueNumber: number;
  headSha: string;
  marker: string;
  body: string;
  /** From a fork: the token is read-only by design, and nothing can be recorded. */
  isFork: boolean;
  /** The commit status; absent when the run records none (validate only). */
  status?: { state: PlanStatusState; checksum: string | null; why: string };
}

export async function recordReview(ctx: ActionContext, review: Review): Promise<void> {
  const { io, inputs, octokit } = ctx;
  if (octokit === null) return io.warning('No github-token: the plan is in the job summary only, and no reviewed plan is recorded for the merge.');
  try {
    const viewer = await ctx.viewer();
    if (!inputs.comment) io.info('Pull request comment turned off (input comment: off).');
    else {
      const result = await upsertStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber: review.issueNumber, marker: review.marker, viewer, body: review.body });
      if (result.action === 'forbidden') return forbidden(ctx, review, 'comment', result.message);
      io.info(`Plan comment ${result.action}: ${logText(result.url)}`);
    }
    if (review.status === undefined) return;
    const { state, checksum, why } = review.status;
    const description = planStatusDescription(state, checksum, why);
    const now = await readPlanStatus(octokit, { owner: ctx.owner, repo: ctx.repo, sha: review.headSha, viewer });
    if (now !== null && now.state === state && now.description === description) return; // a re-run of the same plan
    await writePlanStatus(octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      sha: review.headSha,
      state,
      description,
      ...(ctx.runUrl === undefined ? {} : { targetUrl: ctx.runUrl }),
    });
    io.info(`Commit status ${PLAN_STATUS_CONTEXT} on ${logText(review.headSha.slice(0, 7))}: ${state}.`);
  } catch (err) {
    if (isWriteForbidden(err)) return forbidden(ctx, review, 'status', githubMessage(err));
    io.fail(`GitHub refused or failed to record the plan (${logText(githubMessage(err))}); the plan is in the job summary and outputs of this run.`);
  }
}

function forbidden(ctx: ActionContext, review: Review, what: 'comment' | 'status', message: string): void {
  const text = `The plan ${what} was not written: this token may not write here (${logText(message)}).`;
  if (review.isFork) return ctx.io.notice(text);
  ctx.io.fail(`${text} Give the job pull-requests: write and statuses: write; a merge applies only a plan recorded on its pull request.`);
}
