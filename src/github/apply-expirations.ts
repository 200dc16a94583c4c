import type { Plan } from '../plan/types.ts';
import type { Connection } from '../session/session.ts';
import type { ActionContext } from './action-context.ts';
import { applyStep } from './apply-step.ts';
import type { GitHubEvent } from './event.ts';
import type { ExpiryOutcome } from './expiry-report.ts';
import { splitExpiryRemovals } from '../plan/expiry.ts';
import { logText } from './log-text.ts';
import { guardsFor } from './plan-step.ts';
import { plural } from '../util/plural.ts';

// apply-expirations: the drift check ends grants the manifest gave an end to, without a review,
// because a reviewed manifest already said when they end. So it applies a plan only when every action
// in it is such a removal: anything else (an add, a change, any other removal) is a change nobody
// reviewed for this run, and then nothing at all is applied. The guards apply as on every apply, and
// allow-unsafe does not reach this path: an override is a person's decision about one reviewed plan,
// not a standing permission for unattended runs.

/** Decides, and applies an expiry-only plan. Outputs and the plan summary are already written. */
export async function applyExpirations(ctx: ActionContext, plan: Plan, conn: Connection, event: GitHubEvent): Promise<ExpiryOutcome> {
  const { io, inputs } = ctx;
  if (!inputs.applyExpirations || plan.actions.length === 0) return { kind: 'off' };
  const why = notCovered(event);
  if (why !== null) {
    io.warning(`apply-expirations: nothing was applied: ${why}.`);
    return { kind: 'not-here', why };
  }
  const { removals, blocking } = splitExpiryRemovals(plan);
  if (blocking.length > 0) {
    io.warning(
      `apply-expirations: nothing was applied: the plan has ${plural(blocking.length, 'action')} besides ` +
        `${plural(removals.length, 'expiry removal')} (listed in the drift issue and the job summary).`,
    );
    return { kind: 'blocked', blocking };
  }
  const unsafe = { ...ctx, inputs: { ...inputs, allowUnsafe: false } };
  const guards = guardsFor(plan, unsafe.inputs);
  if (guards.violations.length > 0) {
    // applyStep fails the step with the violations and writes nothing.
    await applyStep(unsafe, plan, conn, null);
    return { kind: 'refused', violations: guards.violations };
  }
  io.notice(`apply-expirations: removing ${plural(removals.length, 'expired grant')} (plan ${plan.checksum}).`);
  const ok = await applyStep(unsafe, plan, conn, null);
  return ok ? { kind: 'applied', removed: removals } : { kind: 'partial', removals };
}

/**
 * Only the scheduled run and a run by hand on the default branch apply: another branch's manifest
 * was not reviewed, and an expires date in it could end any grant.
 */
function notCovered(event: GitHubEvent): string | null {
  if (event.kind === 'schedule') return null;
  if (event.kind === 'workflow_dispatch') {
    return event.isDefaultBranch ? null : `a run by hand applies the default branch only, not ${logText(event.ref)}`;
  }
  return `it applies on schedule and workflow_dispatch runs only, not on ${event.kind === 'unsupported' ? logText(event.name || 'this event') : event.kind}`;
}
