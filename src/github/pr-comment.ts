import type { ActionContext } from './action-context.ts';
import { upsertStickyComment } from './sticky-comment.ts';

// Writes the sticky comment when commenting is on and allowed; a read-only token (a fork) is a
// notice, never a failure.

export async function writeStickyComment(
  ctx: ActionContext,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<void> {
  const { io, inputs, octokit } = ctx;
  if (!inputs.comment) return io.info('Pull request comment turned off (input comment: off).');
  if (octokit === null) return io.warning('No github-token: the plan is in the job summary only.');
  const result = await upsertStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber, marker, body });
  if (result.action === 'forbidden') {
    io.notice(`The plan comment was not written: this token may not comment here (${result.message}).`);
  } else {
    io.info(`Plan comment ${result.action}: ${result.url}`);
  }
}
