import type { ApiTokenRole, DagRoleEntry } from '../astro/types.ts';
import type { ActualToken } from '../astro/actual.ts';
import { cmp } from './order.ts';
import type { Subject } from './subjects.ts';
import type { Plan, PlanDagRole } from './types.ts';
import { quote, sanitizeTerminal } from '../util/sanitize.ts';

// DAG and DAG_TAG entries carry the deployment they belong to, and need a role on that deployment (the
// provider enforces it for users and teams; the server may for tokens). Removing a token's DEPLOYMENT
// entry (a user's or team's deploymentRoles entry) while such entries stay would leave them orphaned:
// the plan shows it, and a guard refuses it.

const isDag = (r: ApiTokenRole): boolean => r.entityType === 'DAG' || r.entityType === 'DAG_TAG';

const byEntity = (a: PlanDagRole, b: PlanDagRole): number => cmp(a.entityType, b.entityType) || cmp(a.entityId, b.entityId);

/** The token's DAG and DAG_TAG entries on `deploymentId`, sorted, as the plan records them. */
export function dagRolesOn(token: ActualToken, deploymentId: string): PlanDagRole[] {
  return token.roles
    .filter((r) => isDag(r) && r.deploymentId === deploymentId)
    .map((r) => ({ entityType: r.entityType as PlanDagRole['entityType'], entityId: r.entityId, role: r.role }))
    .sort(byEntity);
}

/** A user's or team's dagRoles entries on `deploymentId` in the plan's form: a dagId is a DAG, a dagTag a DAG_TAG. */
export function dagEntriesOn(entries: readonly DagRoleEntry[], deploymentId: string): PlanDagRole[] {
  const out: PlanDagRole[] = [];
  for (const e of entries) {
    if (e.deploymentId !== deploymentId) continue;
    if (typeof e.dagId === 'string') out.push({ entityType: 'DAG', entityId: e.dagId, role: e.role });
    else if (typeof e.dagTag === 'string') out.push({ entityType: 'DAG_TAG', entityId: e.dagTag, role: e.role });
  }
  return out.sort(byEntity);
}

/** Any subject's DAG and DAG_TAG entries on `deploymentId`. */
export function subjectDagRolesOn(s: Subject, deploymentId: string): PlanDagRole[] {
  if (s.type === 'token') return dagRolesOn(s.token, deploymentId);
  return dagEntriesOn(s.type === 'user' ? s.user.dagRoles : s.team.dagRoles, deploymentId);
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
