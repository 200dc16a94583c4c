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

/** A user's or team's whole role set as read (lists absent or null: empty; organizationRole absent: null). */
export interface RoleSet {
  organizationRole?: string | null;
  workspaceRoles?: readonly WorkspaceRoleEntry[] | null;
  deploymentRoles?: readonly DeploymentRoleEntry[] | null;
  dagRoles?: readonly DagRoleEntry[] | null;
}

/** Canonical form of a role set: fixed key order in every entry, each list sorted, absent lists empty. */
export function canonicalRoleSet(set: RoleSet): {
  organizationRole: string | null;
  workspaceRoles: WorkspaceRoleEntry[];
  deploymentRoles: DeploymentRoleEntry[];
  dagRoles: DagRoleEntry[];
} {
  const sorted = <T>(list: T[]): T[] =>
    list.map((e) => [JSON.stringify(e), e] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return {
    organizationRole: set.organizationRole ?? null,
    workspaceRoles: sorted((set.workspaceRoles ?? []).map((r) => ({ workspaceId: r.workspaceId, role: r.role }))),
    deploymentRoles: sorted((set.deploymentRoles ?? []).map((r) => ({ deploymentId: r.deploymentId, role: r.role }))),
    dagRoles: sorted((set.dagRoles ?? []).map((r) => {
      const c: DagRoleEntry = { deploymentId: r.deploymentId, role: r.role };
      if (r.dagId !== undefined) c.dagId = r.dagId;
      if (r.dagTag !== undefined) c.dagTag = r.dagTag;
      return c;
    })),
  };
}

/**
 * Fingerprint of a user's or team's whole role set (organizationRole, workspaceRoles, deploymentRoles,
 * dagRoles), independent of list order: apply's compare-and-swap value, as fingerprintRoles for tokens.
 */
export function fingerprintRoleSet(set: RoleSet): string {
  return 'sha256:' + createHash('sha256').update(JSON.stringify(canonicalRoleSet(set))).digest('hex');
}

/** The plan's fingerprint map for one subject type. */
export function fingerprintsOf(
  plan: Pick<Plan, 'tokens' | 'users' | 'teams'>,
  type: SubjectType,
): Record<string, { fingerprint: string }> {
  return type === 'token' ? plan.tokens : type === 'user' ? plan.users : plan.teams;
}
