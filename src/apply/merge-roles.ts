import type { ApiTokenRole, SubjectRoles } from '../astro/types.ts';
import type { PlanAction } from '../plan/types.ts';

/**
 * The new role list for one token: the list as read, with only the DEPLOYMENT entries this plan owns
 * changed. Every other entry (its own workspace/organization role, other deployments, DAG roles with
 * their deploymentId) is sent back exactly as read, in its original position.
 */
export function mergeRoles(read: readonly ApiTokenRole[], actions: readonly PlanAction[]): ApiTokenRole[] {
  const desired = new Map<string, string | null>();
  for (const a of actions) desired.set(a.deployment.id, a.after);

  const merged: ApiTokenRole[] = [];
  const placed = new Set<string>();
  for (const entry of read) {
    if (entry.entityType !== 'DEPLOYMENT' || !desired.has(entry.entityId)) {
      merged.push(entry);
      continue;
    }
    const after = desired.get(entry.entityId) ?? null;
    // A token holds at most one role per deployment; a second entry for an owned deployment is dropped.
    if (after !== null && !placed.has(entry.entityId)) merged.push({ ...entry, role: after });
    placed.add(entry.entityId);
  }
  for (const [deploymentId, after] of desired) {
    if (after !== null && !placed.has(deploymentId)) {
      merged.push({ entityType: 'DEPLOYMENT', entityId: deploymentId, role: after });
    }
  }
  return merged;
}

/** Problems with a roles POST result: each owned deployment must hold exactly the role the plan wanted. */
export function verifyResult(result: SubjectRoles, actions: readonly PlanAction[]): string[] {
  const held = new Map<string, string>();
  for (const r of result.deploymentRoles ?? []) held.set(r.deploymentId, r.role);
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
  const deploymentRoles = read.filter((r) => r.entityType === 'DEPLOYMENT').map((r) => ({ deploymentId: r.entityId, role: r.role }));
  const owned = new Set(actions.map((a) => a.deployment.id));
  // Two entries for one owned deployment are not the plan's outcome, whatever the last one says.
  const counts = new Map<string, number>();
  for (const r of deploymentRoles) if (owned.has(r.deploymentId)) counts.set(r.deploymentId, (counts.get(r.deploymentId) ?? 0) + 1);
  return [...counts.values()].every((n) => n === 1) && verifyResult({ deploymentRoles }, actions).length === 0;
}
