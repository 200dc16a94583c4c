import type { ApiTokenRole } from '../astro/types.ts';
import type { ActualToken } from '../astro/actual.ts';
import { cmp } from './order.ts';
import type { Plan, PlanDagRole } from './types.ts';
import { quote, sanitizeTerminal } from '../util/sanitize.ts';

// DAG and DAG_TAG entries carry the deployment they belong to, and need a role on that deployment (the
// provider enforces it for users and teams; the server may for tokens). Removing a token's DEPLOYMENT
// entry while such entries stay would leave them orphaned: the plan shows it, and a guard refuses it.

const isDag = (r: ApiTokenRole): boolean => r.entityType === 'DAG' || r.entityType === 'DAG_TAG';

/** The token's DAG and DAG_TAG entries on `deploymentId`, sorted, as the plan records them. */
export function dagRolesOn(token: ActualToken, deploymentId: string): PlanDagRole[] {
  return token.roles
    .filter((r) => isDag(r) && r.deploymentId === deploymentId)
    .map((r) => ({ entityType: r.entityType as PlanDagRole['entityType'], entityId: r.entityId, role: r.role }))
    .sort((a, b) => cmp(a.entityType, b.entityType) || cmp(a.entityId, b.entityId));
}

/** `DAG etl_daily (DAG_VIEWER), DAG_TAG finance (DAG_OPERATOR)` */
export function describeDagRoles(roles: readonly PlanDagRole[]): string {
  return roles.map((r) => `${r.entityType} ${quote(r.entityId)} (${sanitizeTerminal(r.role)})`).join(', ');
}

/** One guard violation per removal that would orphan DAG entries (computable from a saved plan alone). */
export function orphanedDagViolations(plan: Pick<Plan, 'actions'>): string[] {
  return plan.actions
    .filter((a) => a.action === 'remove' && (a.orphanedDagRoles?.length ?? 0) > 0)
    .map(
      (a) =>
        `remove of ${a.subject.type} ${quote(a.subject.name)} (${sanitizeTerminal(a.subject.id)}) on deployment ${quote(a.deployment.name)} (${sanitizeTerminal(a.deployment.id)}) ` +
        `would leave its DAG roles there without a deployment role: ${describeDagRoles(a.orphanedDagRoles ?? [])}; remove those DAG roles first, or keep a role on the deployment`,
    );
}
