import type { Plan, PlanAction } from '../plan/types.ts';

// On a pull request, each action either comes from the change under review (proposed) or was
// already pending before it (drift: the base branch's manifest, planned against the same live
// state, yields the same action). Pure.

export type ActionLabel = 'proposed' | 'drift';

export function actionKey(a: Pick<PlanAction, 'deployment' | 'token'>): string {
  return `${a.deployment.id}/${a.token.id}`;
}

export function labelActions(prPlan: Plan, basePlan: Plan | null): Map<string, ActionLabel> {
  const base = new Map<string, PlanAction>();
  for (const a of basePlan?.actions ?? []) base.set(actionKey(a), a);
  const labels = new Map<string, ActionLabel>();
  for (const a of prPlan.actions) {
    const b = base.get(actionKey(a));
    const same = b !== undefined && b.action === a.action && b.before === a.before && b.after === a.after;
    labels.set(actionKey(a), same ? 'drift' : 'proposed');
  }
  return labels;
}
