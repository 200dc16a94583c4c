import type { ActionContext } from './action-context.ts';
import { logText } from './log-text.ts';
import { githubMessage, isWriteForbidden } from './octokit.ts';
import { PLAN_STATUS_CONTEXT, planStatusDescription, readPlanStatus, writePlanStatus, type PlanStatusState } from './plan-status.ts';
import { upsertStickyComment } from './sticky-comment.ts';

// What a pull-request run records on GitHub: the sticky comment (when commenting is on) and the
// commit status `astro-access/plan` on the head commit. A read-only token (a fork) is a notice,
// never a failure; any other GitHub error fails the run, after the outputs and summary were written.

export interface Review {
  issueNumber: number;
  headSha: string;
  marker: string;
  body: string;
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
      if (result.action === 'forbidden') {
        return io.notice(`The plan comment was not written: this token may not comment here (${logText(result.message)}).`);
      }
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
    if (isWriteForbidden(err)) return io.notice(`The plan status was not written: this token may not write here (${logText(githubMessage(err))}).`);
    io.fail(`GitHub refused or failed to record the plan (${logText(githubMessage(err))}); the plan is in the job summary and outputs of this run.`);
  }
}
