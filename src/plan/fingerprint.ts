import { createHash } from 'node:crypto';
import type { ApiTokenRole } from '../astro/types.ts';
import type { Plan, SubjectType } from './types.ts';

/** Canonical form of a role entry: key order fixed, optional deploymentId only when present. */
export function canonicalRole(r: ApiTokenRole): ApiTokenRole {
  const c: ApiTokenRole = { entityType: r.entityType, entityId: r.entityId, role: r.role };
  if (r.deploymentId !== undefined) c.deploymentId = r.deploymentId;
  return c;
}

/**
 * Fingerprint of a token's whole role list, independent of order: the compare-and-swap value that
 * tells apply whether someone changed the token since the plan read it.
 */
export function fingerprintRoles(roles: readonly ApiTokenRole[]): string {
  const lines = roles.map((r) => JSON.stringify(canonicalRole(r))).sort();
  return 'sha256:' + createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The plan's fingerprint map for one subject type. */
export function fingerprintsOf(
  plan: Pick<Plan, 'tokens' | 'users' | 'teams'>,
  type: SubjectType,
): Record<string, { fingerprint: string }> {
  return type === 'token' ? plan.tokens : type === 'user' ? plan.users : plan.teams;
}
