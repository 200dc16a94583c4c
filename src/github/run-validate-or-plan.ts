import type { ActionContext } from './action-context.ts';
import { logText } from './log-text.ts';
import { annotateErrors, guardsFor, loadAndPlan, loadManifests, publishPlan, summaryMarkdown } from './plan-step.ts';

// `command: validate` (offline) and `command: plan` outside a pull request: outputs and job summary only.

export async function runValidateOrPlan(ctx: ActionContext, mode: 'validate' | 'plan'): Promise<void> {
  const { io, inputs } = ctx;
  if (mode === 'validate') {
    const loaded = await loadManifests(io, inputs);
    if (loaded.desired !== null) return io.info(`The manifest is valid (${loaded.files.map(logText).join(', ')}).`);
    annotateErrors(io, loaded.errors);
    return io.fail(`The manifest is invalid (${loaded.errors.length} error(s)).`);
  }
  const run = await loadAndPlan(ctx, 'to plan');
  if (run === null) return;
  try {
    for (const v of guardsFor(run.plan, inputs).violations) io.warning(`apply would refuse this plan: ${logText(v)}`);
    io.info(`Plan checksum: ${run.plan.checksum}`);
    await publishPlan(io, run.plan);
    await io.summary(summaryMarkdown(run.plan, '### astro-access plan'));
  } finally {
    await run.conn.close();
  }
}
