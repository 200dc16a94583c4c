import type { Plan, PlanAction } from '../plan/types.ts';
import { labelKey, type ActionLabel } from '../render/markdown.ts';

// On a pull request, each action either comes from the change under review (proposed) or was
// already pending before it (drift: the base branch's manifest, planned against the same live
// state, yields the same action). Pure. Keys are the markdown renderer's labelKey.

export function labelProposedOrDrift(prPlan: Plan, basePlan: Plan | null): Map<string, ActionLabel> {
  const base = new Map<string, PlanAction>();
  for (const a of basePlan?.actions ?? []) base.set(labelKey(a), a);
  const labels = new Map<string, ActionLabel>();
  for (const a of prPlan.actions) {
    const b = base.get(labelKey(a));
    const same = b !== undefined && b.action === a.action && b.before === a.before && b.after === a.after;
    labels.set(labelKey(a), same ? 'drift' : 'proposed');
  }
  return labels;
}
