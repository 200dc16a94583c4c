import { createHash } from 'node:crypto';
import type { ApiTokenRole, DagRoleEntry, DeploymentRoleEntry, WorkspaceRoleEntry } from '../astro/types.ts';
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

/** A user's or team's whole role set, as read (absent lists already made []). */
export interface SubjectRoleLists {
  organizationRole?: string | null;
  workspaceRoles: readonly WorkspaceRoleEntry[];
  deploymentRoles: readonly DeploymentRoleEntry[];
  dagRoles: readonly DagRoleEntry[];
}

/**
 * Fingerprint of a user's or team's whole role set, independent of list order: each list sorted, each
 * entry with its fields in a fixed order (a DAG entry's absent dagId or dagTag as null), an absent or
 * null organizationRole as null. The compare-and-swap value for users and teams, as fingerprintRoles is
 * for tokens.
 */
export function fingerprintSubjectRoles(set: SubjectRoleLists): string {
  const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();
  const canonical = {
    organizationRole: set.organizationRole ?? null,
    workspaceRoles: sorted(set.workspaceRoles.map((r) => [r.workspaceId, r.role])),
    deploymentRoles: sorted(set.deploymentRoles.map((r) => [r.deploymentId, r.role])),
    dagRoles: sorted(set.dagRoles.map((r) => [r.deploymentId, r.role, r.dagId ?? null, r.dagTag ?? null])),
  };
  return 'sha256:' + createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The plan's fingerprint map for one subject type. */
export function fingerprintsOf(
  plan: Pick<Plan, 'tokens' | 'users' | 'teams'>,
  type: SubjectType,
): Record<string, { fingerprint: string }> {
  return type === 'token' ? plan.tokens : type === 'user' ? plan.users : plan.teams;
}
