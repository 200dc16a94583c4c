import type { ActionKind, Plan, PlanAction, PlanBinding, PlanDeploymentRef, PlanExpiration, PlanSubjectRef, PlanSummary } from '../plan/types.ts';

// Words and grouping shared by the text and markdown renderers, so both say the same thing.
// Everything here reads the plan only; strings from the API are returned raw (callers escape them).

export const NO_CHANGES = 'No changes. The live roles match the manifest.';

/** "2 to add, 1 to change, 1 to remove" (Terraform's wording, all three always shown). */
export function changeCounts(s: Pick<PlanSummary, 'add' | 'update' | 'remove'>): string {
  return `${s.add} to add, ${s.update} to change, ${s.remove} to remove`;
}

/** "1 unmanaged, 2 ignored": only the non-zero parts; '' when both are zero. */
export function keptCounts(s: Pick<PlanSummary, 'unmanaged' | 'ignored'>): string {
  const parts: string[] = [];
  if (s.unmanaged > 0) parts.push(`${s.unmanaged} unmanaged`);
  if (s.ignored > 0) parts.push(`${s.ignored} ignored`);
  return parts.join(', ');
}

/** What kind of subject holds the role: `workspace` or `organization` (a token's scope), `user`, `team`. */
export function subjectLabel(s: PlanSubjectRef): string {
  return s.type === 'token' ? (s.scope ?? 'token').toLowerCase() : s.type;
}

const NONE = '(none)';

/** `ROLE` for an add, `OLD → NEW` for an update, `OLD → (none)` for a remove. */
export function roleChange(a: Pick<PlanAction, 'action' | 'before' | 'after'>): string {
  if (a.action === 'add') return a.after ?? NONE;
  return `${a.before ?? NONE} → ${a.after ?? NONE}`;
}

export const MARKER: Record<ActionKind, string> = { add: '+', update: '~', remove: '-' };

/**
 * Where an action comes from: the manifest line (`, expires 2026-12-31` when the grant has an end), or for
 * removals the planner's reason (`not declared…`, or `file:line, expired on 2026-01-01` for an expired
 * grant, whose entry is the source).
 */
export function origin(a: Pick<PlanAction, 'action' | 'source' | 'reason' | 'expires'>): string {
  if (a.source === null) return a.reason;
  if (a.action === 'remove') return `${a.source}, ${a.reason}`;
  return a.expires === undefined ? a.source : `${a.source}, expires ${a.expires}`;
}

/** `expired` or `expires soon`: the state of a listed expiration. */
export function expirationState(e: Pick<PlanExpiration, 'expired'>): string {
  return e.expired ? 'expired' : 'expires soon';
}

export interface DeploymentGroup {
  deployment: PlanDeploymentRef;
  actions: PlanAction[];
  unmanaged: PlanBinding[];
  ignored: PlanBinding[];
}

/** Groups by deployment in order of first appearance (the plan is already sorted). */
export function groupByDeployment(plan: Pick<Plan, 'actions' | 'unmanaged' | 'ignored'>): DeploymentGroup[] {
  const groups = new Map<string, DeploymentGroup>();
  const group = (d: PlanDeploymentRef): DeploymentGroup => {
    let g = groups.get(d.id);
    if (!g) {
      g = { deployment: d, actions: [], unmanaged: [], ignored: [] };
      groups.set(d.id, g);
    }
    return g;
  };
  for (const a of plan.actions) group(a.deployment).actions.push(a);
  for (const b of plan.unmanaged) group(b.deployment).unmanaged.push(b);
  for (const b of plan.ignored) group(b.deployment).ignored.push(b);
  return [...groups.values()];
}

export function countKinds(actions: readonly PlanAction[]): Pick<PlanSummary, 'add' | 'update' | 'remove'> {
  const c = { add: 0, update: 0, remove: 0 };
  for (const a of actions) c[a.action]++;
  return c;
}
