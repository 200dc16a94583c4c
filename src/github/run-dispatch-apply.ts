import type { ActionContext } from './action-context.ts';
import { applyStep } from './apply-step.ts';
import type { GitHubEvent } from './event.ts';
import { loadAndPlan, publishPlan, summaryMarkdown } from './plan-step.ts';

// workflow_dispatch with command: apply — the maintainer's path for a plan no pull request recorded
// (a fork's, or after a refused merge): plan the default branch, and apply only when the plan's
// checksum is the one the maintainer reviewed (the job summary of a command: plan run shows it).

type DispatchEvent = Extract<GitHubEvent, { kind: 'workflow_dispatch' }>;

export async function runDispatchApply(ctx: ActionContext, event: DispatchEvent): Promise<void> {
  const { io, inputs } = ctx;
  if (!event.isDefaultBranch) {
    return io.fail('command: apply by workflow_dispatch applies the default branch only: run the workflow on it; nothing was applied.');
  }
  if (inputs.expectedChecksum === '') {
    return io.fail(
      'command: apply by workflow_dispatch needs expected-checksum: run it with command: plan first, review the plan and ' +
        'its checksum in the job summary, then run it again with that checksum; nothing was applied.',
    );
  }
  const run = await loadAndPlan(ctx, 'to apply', '; nothing was applied');
  if (run === null) return;
  const { plan, conn } = run;
  try {
    await publishPlan(io, plan);
    await io.summary(summaryMarkdown(plan, '### astro-access plan · default branch (apply by hand)'));
    if (plan.actions.length === 0) return io.info('The live roles already match the manifest: nothing to apply.');
    if (plan.checksum !== inputs.expectedChecksum) {
      return io.fail(
        `plan-changed: the plan is ${plan.checksum}, not the expected ${inputs.expectedChecksum}; nothing was applied. ` +
          'Review the plan in the job summary of this run and run again with its checksum.',
      );
    }
    io.notice(`Applying the plan ${plan.checksum}, the checksum given by hand (workflow_dispatch).`);
    await applyStep(ctx, plan, conn, null);
  } finally {
    await conn.close();
  }
}
