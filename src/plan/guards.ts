import { orphanedDagViolations } from './dag-roles.ts';
import type { Plan } from './types.ts';
import { quote, sanitizeTerminal } from '../util/sanitize.ts';

// Safety guards, checked before any write and computable from a saved plan alone. With allowUnsafe the
// violations are not dropped but moved to `overridden`, so the receipt records what was overridden.

export interface GuardOptions {
  maxRemovals: number;
  /** The apiTokenId of the token running the apply; null when unknown (that guard is skipped). */
  selfTokenId: string | null;
  allowUnsafe: boolean;
}

export interface GuardResult {
  violations: string[];
  overridden: string[];
}

/** A deployment with at least this many managed bindings may lose at most MAX_SHARE of them. */
export const MIN_BINDINGS_FOR_SHARE = 10;
export const MAX_SHARE = 0.25;

export function checkGuards(plan: Plan, opts: GuardOptions): GuardResult {
  const found: string[] = [];
  const removes = plan.actions.filter((a) => a.action === 'remove');
  const removedBy = new Map<string, number>();
  for (const a of removes) removedBy.set(a.deployment.id, (removedBy.get(a.deployment.id) ?? 0) + 1);
  const protectedIds = new Set(plan.protectedSubjects);

  for (const d of plan.deployments) {
    const where = `deployment ${quote(d.name)} (${sanitizeTerminal(d.id)}) in workspace ${quote(d.workspaceName)}`;
    const removed = removedBy.get(d.id) ?? 0;
    if (d.existing >= MIN_BINDINGS_FOR_SHARE && removed > d.existing * MAX_SHARE) {
      const pct = Math.round((removed / d.existing) * 100);
      found.push(`${where}: ${removed} of its ${d.existing} managed bindings would be removed (${pct}%, more than ${MAX_SHARE * 100}%)`);
    }
    if (d.desired === 0 && d.existing > 0 && !d.explicitEmpty) {
      found.push(`${where}: all ${d.existing} managed bindings would be removed; write an explicit empty list in the manifest to empty it`);
    }
  }
  if (removes.length > opts.maxRemovals) {
    found.push(`${removes.length} bindings would be removed in total, more than the limit of ${opts.maxRemovals} (--max-removals)`);
  }
  for (const a of plan.actions) {
    const what = `${a.action} of ${a.subject.type} ${quote(a.subject.name)} (${sanitizeTerminal(a.subject.id)}) on deployment ${quote(a.deployment.name)} (${sanitizeTerminal(a.deployment.id)})`;
    // Any change, an add included: the running token's own roles are never edited by its own apply.
    if (opts.selfTokenId !== null && a.subject.type === 'token' && a.subject.id === opts.selfTokenId) {
      found.push(`${what}: this is the token running astro-access, which must not change its own roles (${sanitizeTerminal(a.before ?? 'none')} → ${sanitizeTerminal(a.after ?? 'none')})`);
    }
    if (a.action === 'remove' && protectedIds.has(a.subject.id)) {
      found.push(`${what}: the ${a.subject.type} is protected by the manifest's \`protect\` list and may not lose a binding`);
    }
  }
  found.push(...orphanedDagViolations(plan));
  return opts.allowUnsafe ? { violations: [], overridden: found } : { violations: found, overridden: [] };
}
