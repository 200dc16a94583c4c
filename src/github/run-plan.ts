import type { ActionContext } from './action-context.ts';
import { annotateErrors, guardsFor, loadManifests, planAgainstLive, publishPlan, summaryMarkdown } from './plan-step.ts';

// `command: validate` (offline) and `command: plan` outside a pull request: outputs and job summary only.

export async function runPlain(ctx: ActionContext, mode: 'validate' | 'plan'): Promise<void> {
  const { io, inputs } = ctx;
  const loaded = await loadManifests(io, inputs);
  if (loaded.desired === null) {
    annotateErrors(io, loaded.errors);
    io.fail(`The manifest is invalid (${loaded.errors.length} error(s)).`);
    return;
  }
  if (mode === 'validate') return io.info(`The manifest is valid (${loaded.files.join(', ')}).`);
  if (inputs.astroApiToken === '') {
    io.fail('astro-api-token is required to plan.');
    return;
  }
  const live = await planAgainstLive(inputs, io.env, loaded.desired);
  if (!live.ok) {
    annotateErrors(io, live.errors);
    io.fail(`The manifest does not match the organization (${live.errors.length} error(s)).`);
    return;
  }
  try {
    for (const v of guardsFor(live.plan, inputs).violations) io.warning(`apply would refuse this plan: ${v}`);
    await publishPlan(io, live.plan);
    await io.summary(summaryMarkdown(live.plan, '### astro-access plan'));
  } finally {
    await live.conn.close();
  }
}
