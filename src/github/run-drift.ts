import type { ActionContext } from './action-context.ts';
import { driftIssueBody, syncDriftIssue } from './drift-issue.ts';
import { annotateErrors, loadManifests, planAgainstLive, publishPlan, summaryMarkdown } from './plan-step.ts';

// schedule / workflow_dispatch: plan, and keep one drift issue in step with it (opened, updated,
// closed when the live state matches again). Drift is reported, not a failure.

export async function runDrift(ctx: ActionContext): Promise<void> {
  const { io, inputs, octokit } = ctx;
  const loaded = await loadManifests(io, inputs);
  if (loaded.desired === null) {
    annotateErrors(io, loaded.errors);
    io.fail(`The manifest is invalid (${loaded.errors.length} error(s)).`);
    return;
  }
  if (inputs.astroApiToken === '') {
    io.fail('astro-api-token is required for the drift check.');
    return;
  }
  const live = await planAgainstLive(inputs, io.env, loaded.desired);
  if (!live.ok) {
    annotateErrors(io, live.errors);
    io.fail(`The manifest does not match the organization (${live.errors.length} error(s)).`);
    return;
  }
  const { plan, conn } = live;
  try {
    await publishPlan(io, plan);
    await io.summary(summaryMarkdown(plan, '### astro-access drift check'));
    if (octokit === null) return io.warning('No github-token: the drift issue was not updated.');
    const branch = io.env['GITHUB_REF_NAME'];
    const body = driftIssueBody(plan, { files: loaded.files, ...(branch ? { branch } : {}) });
    const result = await syncDriftIssue(octokit, { owner: ctx.owner, repo: ctx.repo, plan, body });
    if (result.action === 'none') io.info('No drift: the live roles match the manifest.');
    else io.info(`Drift issue #${result.number} ${result.action}: ${result.url}`);
    if (plan.actions.length > 0) io.warning(`Drift: ${plan.actions.length} action(s) would bring the live roles back to the manifest.`);
  } finally {
    await conn.close();
  }
}
