import type { ActualRoleLists } from '../astro/actual.ts';
import type { DagRoleEntry, UpdateSubjectRolesRequest } from '../astro/types.ts';
import type { PlanAction } from '../plan/types.ts';
import { mergeOwned } from './merge-roles.ts';

// A user's or team's role set between the read and the write. The roles POST replaces the whole set, so
// everything but the deployment roles this plan owns is sent back exactly as read.

/** A user's or team's whole role set as read (organizationRole null when absent). */
export type RoleSet = ActualRoleLists & { organizationRole: string | null };

/** The body of a user's or team's roles POST: the whole set, with an organizationRole. */
export type UserTeamBody = UpdateSubjectRolesRequest & RoleSet;

/** The role set of a user or team as the client reads it (lists always present). */
export function roleSetOf(s: ActualRoleLists & { organizationRole?: string | null }): RoleSet {
  return {
    organizationRole: s.organizationRole ?? null,
    workspaceRoles: s.workspaceRoles,
    deploymentRoles: s.deploymentRoles,
    dagRoles: s.dagRoles,
  };
}

/** The role the server adds on its own on a workspace where a subject got a deployment role without a workspace role. */
export const WORKSPACE_ACCESSOR = 'WORKSPACE_ACCESSOR';

/**
 * The roles POST body: organizationRole, workspaceRoles and dagRoles as read; deploymentRoles as read with
 * only the entries of deployments this plan owns changed (in place), removed, or appended. The caller has
 * checked that organizationRole is not null.
 */
export function userTeamBody(read: RoleSet & { organizationRole: string }, actions: readonly PlanAction[]): UserTeamBody {
  const deploymentRoles = mergeOwned(read.deploymentRoles, actions, {
    deploymentOf: (e) => e.deploymentId,
    create: (deploymentId, role) => ({ deploymentId, role }),
  });
  return {
    organizationRole: read.organizationRole,
    workspaceRoles: read.workspaceRoles,
    deploymentRoles,
    dagRoles: read.dagRoles,
  };
}

/** True when each owned deployment already holds, once, the role the plan wants (the plan's outcome is live). */
export function deploymentRolesLive(read: RoleSet, actions: readonly PlanAction[]): boolean {
  return actions.every((a) => {
    const held = read.deploymentRoles.filter((r) => r.deploymentId === a.deployment.id);
    return a.after === null ? held.length === 0 : held.length === 1 && held[0]!.role === a.after;
  });
}

/**
 * How the set as read now differs from the set sent (empty: the write is what the server holds). The one
 * difference allowed: a WORKSPACE_ACCESSOR entry the server added on a workspace where the sent set has
 * no workspace role and the plan gave the subject a deployment role; nothing else is tolerated.
 */
export function differences(now: RoleSet, sent: RoleSet, actions: readonly PlanAction[]): string[] {
  const problems: string[] = [];
  if (now.organizationRole !== sent.organizationRole) {
    problems.push(`organization role: sent ${sent.organizationRole ?? 'none'}, the API reports ${now.organizationRole ?? 'none'}`);
  }
  const sentWorkspaces = new Set(sent.workspaceRoles.map((r) => r.workspaceId));
  const accessorMayAppear = new Set(actions.filter((a) => a.after !== null && !sentWorkspaces.has(a.deployment.workspaceId)).map((a) => a.deployment.workspaceId));
  const ws = compare(now.workspaceRoles, sent.workspaceRoles, (r) => [r.workspaceId, r.role]);
  const added = ws.extra.filter((r) => {
    const serverOwn = r.role === WORKSPACE_ACCESSOR && accessorMayAppear.has(r.workspaceId);
    if (serverOwn) accessorMayAppear.delete(r.workspaceId); // once per workspace
    return !serverOwn;
  });
  const names = new Map(actions.map((a) => [a.deployment.id, a.deployment.name]));
  const dep = (id: string): string => (names.has(id) ? `deployment ${names.get(id)} (${id})` : `deployment ${id}`);
  for (const r of ws.missing) problems.push(`workspace ${r.workspaceId}: sent ${r.role}, missing now`);
  for (const r of added) problems.push(`workspace ${r.workspaceId}: ${r.role} held, not sent`);
  const deps = compare(now.deploymentRoles, sent.deploymentRoles, (r) => [r.deploymentId, r.role]);
  for (const r of deps.missing) problems.push(`${dep(r.deploymentId)}: sent ${r.role}, missing now`);
  for (const r of deps.extra) problems.push(`${dep(r.deploymentId)}: ${r.role} held, not sent`);
  const dags = compare(now.dagRoles, sent.dagRoles, (r) => [r.deploymentId, r.role, r.dagId ?? null, r.dagTag ?? null]);
  const dag = (r: DagRoleEntry): string => `DAG ${r.dagId ?? `tag ${r.dagTag ?? ''}`} on ${dep(r.deploymentId)}`;
  for (const r of dags.missing) problems.push(`${dag(r)}: sent ${r.role}, missing now`);
  for (const r of dags.extra) problems.push(`${dag(r)}: ${r.role} held, not sent`);
  return problems;
}

/** Entries of `held` not in `sent` and of `sent` not in `held`, as multisets by `key`. */
function compare<T>(held: readonly T[], sent: readonly T[], key: (r: T) => unknown[]): { extra: T[]; missing: T[] } {
  const left = new Map<string, number>();
  for (const r of sent) {
    const k = JSON.stringify(key(r));
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  const extra: T[] = [];
  for (const r of held) {
    const k = JSON.stringify(key(r));
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else extra.push(r);
  }
  const missing = sent.filter((r) => {
    const k = JSON.stringify(key(r));
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n > 0;
  });
  return { extra, missing };
}
