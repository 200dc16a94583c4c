import type { ApiTokenRole, SubjectRoles, TokenScope } from '../astro/types.ts';
import { canonicalRole } from '../plan/fingerprint.ts';
import type { PlanAction } from '../plan/types.ts';

/**
 * The new role list for one token: the list as read, with only the DEPLOYMENT entries this plan owns
 * changed. Every other entry (its own workspace/organization role, other deployments, DAG roles with
 * their deploymentId) is sent back exactly as read, in its original position.
 */
export function mergeRoles(read: readonly ApiTokenRole[], actions: readonly PlanAction[]): ApiTokenRole[] {
  return mergeOwned(read, actions, {
    deploymentOf: (e) => (e.entityType === 'DEPLOYMENT' ? e.entityId : undefined),
    create: (deploymentId, role) => ({ entityType: 'DEPLOYMENT', entityId: deploymentId, role }),
  });
}

/**
 * A list of deployment role entries (a token's, or a user's or team's deploymentRoles) with the plan's
 * changes: an owned deployment's entry takes its new role in place or is dropped, a deployment without
 * one gets an entry appended; every entry `deploymentOf` does not place on an owned deployment stays as is.
 */
export function mergeOwned<T extends { role: string }>(
  read: readonly T[],
  actions: readonly PlanAction[],
  how: { deploymentOf: (entry: T) => string | undefined; create: (deploymentId: string, role: string) => T },
): T[] {
  const desired = new Map<string, string | null>();
  for (const a of actions) desired.set(a.deployment.id, a.after);

  const merged: T[] = [];
  const placed = new Set<string>();
  for (const entry of read) {
    const deploymentId = how.deploymentOf(entry);
    if (deploymentId === undefined || !desired.has(deploymentId)) {
      merged.push(entry);
      continue;
    }
    const after = desired.get(deploymentId) ?? null;
    // At most one role per deployment; a second entry for an owned deployment is dropped.
    if (after !== null && !placed.has(deploymentId)) merged.push({ ...entry, role: after });
    placed.add(deploymentId);
  }
  for (const [deploymentId, after] of desired) {
    if (after !== null && !placed.has(deploymentId)) merged.push(how.create(deploymentId, after));
  }
  return merged;
}

/**
 * Why a list must not be sent, or null: it must hold exactly one entry of the token's own scope
 * (WORKSPACE or ORGANIZATION). A token read without `roles` yields a list without it, and a lenient
 * server would accept that and drop the token's workspace, organization and DAG roles.
 */
export function ownScopeProblem(scope: TokenScope, roles: readonly ApiTokenRole[]): string | null {
  if (scope !== 'WORKSPACE' && scope !== 'ORGANIZATION') return `a ${scope} token is not managed by astro-access`;
  const own = roles.filter((r) => r.entityType === scope).length;
  if (own === 1) return null;
  return `the new role list would hold ${own} ${scope} entries, not exactly one ${scope} entry of the token's own scope (were its roles read at all?)`;
}

/** Every entry of `sent` is in `held` (a server may add entries of its own). */
export function holdsAll(held: readonly ApiTokenRole[], sent: readonly ApiTokenRole[]): boolean {
  const keys = new Set(held.map((r) => JSON.stringify(canonicalRole(r))));
  return sent.every((r) => keys.has(JSON.stringify(canonicalRole(r))));
}

/** Problems with a roles POST result: each owned deployment must hold exactly the role the plan wanted. */
export function verifyResult(result: SubjectRoles, actions: readonly PlanAction[]): string[] {
  // A sparse answer (`{}`, or null lists) shows nothing, not "no roles".
  if (!Array.isArray(result.deploymentRoles)) return ['the answer does not list the deployment roles'];
  return mismatches(result.deploymentRoles.map((r) => [r.deploymentId, r.role]), actions);
}

/** The same check against the token's roles as read with a GET. */
export function verifyRoles(roles: readonly ApiTokenRole[], actions: readonly PlanAction[]): string[] {
  return mismatches(roles.filter((r) => r.entityType === 'DEPLOYMENT').map((r) => [r.entityId, r.role]), actions);
}

function mismatches(deploymentRoles: [string, string][], actions: readonly PlanAction[]): string[] {
  const held = new Map(deploymentRoles);
  const problems: string[] = [];
  for (const a of actions) {
    const now = held.get(a.deployment.id) ?? null;
    if (now !== a.after) {
      problems.push(
        `deployment ${a.deployment.name} (${a.deployment.id}): expected ${a.after ?? 'no role'}, the API reports ${now ?? 'no role'}`,
      );
    }
  }
  return problems;
}

/** True when the roles as read already give every deployment of the actions the role the plan wants. */
export function alreadyLive(read: readonly ApiTokenRole[], actions: readonly PlanAction[]): boolean {
  const owned = new Set(actions.map((a) => a.deployment.id));
  // Two entries for one owned deployment are not the plan's outcome, whatever the last one says.
  const seen = new Set<string>();
  for (const r of read) {
    if (r.entityType !== 'DEPLOYMENT' || !owned.has(r.entityId)) continue;
    if (seen.has(r.entityId)) return false;
    seen.add(r.entityId);
  }
  return verifyRoles(read, actions).length === 0;
}
