import type { ActionContext } from './action-context.ts';
import { logText } from './log-text.ts';
import { driftIssueBody, syncDriftIssue } from './drift-issue.ts';
import { loadAndPlan, publishPlan, summaryMarkdown } from './plan-step.ts';

// schedule / workflow_dispatch: plan, and keep one drift issue in step with it (opened, updated,
// closed when the live state matches again). Drift is reported, not a failure.

export async function runDrift(ctx: ActionContext): Promise<void> {
  const { io, octokit } = ctx;
  const run = await loadAndPlan(ctx, 'for the drift check');
  if (run === null) return;
  const { plan, conn } = run;
  try {
    await publishPlan(io, plan);
    await io.summary(summaryMarkdown(plan, '### astro-access drift check'));
    if (octokit === null) return io.warning('No github-token: the drift issue was not updated.');
    const branch = io.env['GITHUB_REF_NAME'];
    const body = driftIssueBody(plan, { files: run.files, ...(branch ? { branch } : {}) });
    const result = await syncDriftIssue(octokit, { owner: ctx.owner, repo: ctx.repo, viewer: await ctx.viewer(), plan, body });
    if (result.action === 'none') io.info('No drift: the live roles match the manifest.');
    else io.info(`Drift issue #${result.number} ${result.action}: ${logText(result.url)}`);
    if (plan.actions.length > 0) io.warning(`Drift: ${plan.actions.length} action(s) would bring the live roles back to the manifest.`);
  } finally {
    await conn.close();
  }
}
