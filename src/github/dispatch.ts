import type { ActionContext } from './action-context.ts';
import type { GitHubEvent } from './event.ts';
import type { Command } from './inputs.ts';
import { runDispatchApply } from './run-dispatch-apply.ts';
import { runDrift } from './run-drift.ts';
import { runMerge } from './run-merge.ts';
import { runValidateOrPlan } from './run-validate-or-plan.ts';
import { runPullRequest } from './run-pull-request.ts';
import { EventError } from '../errors.ts';

// Which step runs: `command: auto` picks it from the event; an explicit command overrides.

export type Step = 'pull-request' | 'merge' | 'dispatch-apply' | 'drift' | 'validate' | 'plan';

export function chooseStep(command: Command, event: GitHubEvent): Step {
  switch (command) {
    case 'validate':
      return 'validate';
    case 'drift':
      return 'drift';
    case 'plan':
      return event.kind === 'pull_request' ? 'pull-request' : 'plan';
    case 'apply':
      if (event.kind === 'push') return 'merge';
      // A maintainer's run by hand: applies the default branch's plan when its checksum is the one given.
      if (event.kind === 'workflow_dispatch') return 'dispatch-apply';
      throw new EventError(`command apply runs on push and workflow_dispatch events only, not ${eventName(event)}`);
    case 'auto':
      if (event.kind === 'pull_request') return 'pull-request';
      if (event.kind === 'push') return event.isDefaultBranch ? 'merge' : 'plan';
      if (event.kind === 'schedule' || event.kind === 'workflow_dispatch') return 'drift';
      throw new EventError(`event ${eventName(event)} is not supported with command auto; set the input command`);
  }
}

function eventName(e: GitHubEvent): string {
  return e.kind === 'unsupported' ? e.name || '(none)' : e.kind;
}

export async function runStep(ctx: ActionContext, step: Step, event: GitHubEvent): Promise<void> {
  if (step === 'pull-request' && event.kind === 'pull_request') return runPullRequest(ctx, event);
  if (step === 'merge' && event.kind === 'push') return runMerge(ctx, event);
  if (step === 'dispatch-apply' && event.kind === 'workflow_dispatch') return runDispatchApply(ctx, event);
  if (step === 'drift') return runDrift(ctx);
  if (step === 'validate' || step === 'plan') return runValidateOrPlan(ctx, step);
}
