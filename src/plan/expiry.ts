import type { DesiredExpiry } from '../manifest/types.ts';
import type { Plan, PlanDeploymentRef, PlanExpiration } from './types.ts';
import type { ResolvedBinding } from './resolve-names.ts';
import { describeSubject } from './subjects.ts';
import { quote as q, sanitizeTerminal } from '../util/sanitize.ts';

// Time-boxed grants (`expires`). The planner never reads a clock: `now` comes from the caller (the CLI
// and the Action pass Date.now()). Without it nothing is expired and nothing is listed as expiring, so a
// plan made without a time is the same plan whenever it is made.

/** Grants ending within this long after `now` are flagged ahead of time. */
export const EXPIRY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** A declared grant that has ended or ends within the window, with what the plan says about it. */
export interface Ending {
  expires: DesiredExpiry;
  /** `endsAt` (the first instant the grant no longer holds) is at or before `now`. */
  expired: boolean;
}

/** The binding's ending when it has expired or expires within the window of `now`; else null. */
export function endingOf(b: Pick<ResolvedBinding, 'expires'>, now: number | undefined): Ending | null {
  const expires = b.expires;
  if (expires === undefined || now === undefined || expires.endsAt > now + EXPIRY_WINDOW_MS) return null;
  return { expires, expired: expires.endsAt <= now };
}

/** `expired on 2026-01-01`: the reason of the removal (or unmanaged listing) an expired grant becomes. */
export const expiredReason = (e: DesiredExpiry): string => `expired on ${sanitizeTerminal(e.text)}`;

export function expirationOf(deployment: PlanDeploymentRef, b: ResolvedBinding, e: Ending): PlanExpiration {
  return {
    deployment,
    subject: b.subject.ref,
    role: b.role,
    expires: e.expires.text,
    endsAt: new Date(e.expires.endsAt).toISOString(),
    expired: e.expired,
    source: b.source,
  };
}

export function endingWarning(deployment: PlanDeploymentRef, b: ResolvedBinding, e: Ending): string {
  const grant = `${b.source}: the grant of ${q(b.role)} to ${describeSubject(b.subject)} on deployment ${q(deployment.name)} (${sanitizeTerminal(deployment.id)})`;
  const text = sanitizeTerminal(e.expires.text);
  return e.expired
    ? `${grant} expired on ${text}; the entry is treated as not declared (delete it from the manifest)`
    : `${grant} expires on ${text} (it holds until ${new Date(e.expires.endsAt).toISOString()}), within 7 days; from then on it is treated as not declared`;
}

/**
 * True when every action of the plan is the removal of an expired grant (one listed in `expirations` as
 * expired, for the same deployment and subject) and there is at least one: the plan the scheduled run may
 * apply on its own (`apply-expirations`). Read from the saved plan alone.
 */
export function onlyExpiryRemovals(plan: Pick<Plan, 'actions' | 'expirations'>): boolean {
  const expired = new Set(plan.expirations.filter((e) => e.expired).map((e) => entryKey(e)));
  return plan.actions.length > 0 && plan.actions.every((a) => a.action === 'remove' && a.expires !== undefined && expired.has(entryKey(a)));
}

const entryKey = (e: { deployment: { id: string }; subject: { type: string; id: string } }): string =>
  `${e.deployment.id}/${e.subject.type}/${e.subject.id}`;
