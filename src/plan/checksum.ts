import { createHash } from 'node:crypto';
import type { PlanAction } from './types.ts';
import { cmp } from './order.ts';

/**
 * 'sha256:' + SHA-256 over what the actions do (kind, deployment ID, token ID, before, after, and the DAG
 * entries a removal would orphan, a guard input) and nothing else: names, reasons and sources may change without changing the checksum. The lines are sorted, so
 * the value does not depend on the display order either (a renamed token reorders the plan).
 */
export function planChecksum(actions: readonly PlanAction[]): string {
  const lines = actions
    .map((a) => {
      const core = [a.action, a.deployment.id, a.token.id, a.before, a.after];
      // Only when present, so the checksums of plans without DAG entries are what they always were.
      const dag = a.orphanedDagRoles?.length ? [a.orphanedDagRoles.map((r) => [r.entityType, r.entityId, r.role])] : [];
      return JSON.stringify([...core, ...dag]);
    })
    .sort(cmp);
  return 'sha256:' + createHash('sha256').update(lines.join('\n')).digest('hex');
}
