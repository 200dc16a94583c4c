import { planChecksum } from '../plan/checksum.ts';
import type { Plan } from '../plan/types.ts';

/**
 * Check a plan read from a file before carrying it out: the right format, the fields apply relies on,
 * and a checksum that still matches its actions (an edited plan file is refused, not applied).
 */
export function checkSavedPlan(value: unknown): { plan?: Plan; problems: string[] } {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) return { problems: ['not a JSON object'] };
  const p = value as Partial<Plan>;
  if (p.formatVersion !== 1) problems.push(`formatVersion must be 1, got ${JSON.stringify(p.formatVersion)}`);
  if (typeof p.organizationId !== 'string') problems.push('organizationId is missing');
  if (!Array.isArray(p.actions)) problems.push('actions is missing');
  if (typeof p.tokens !== 'object' || p.tokens === null) problems.push('tokens is missing');
  if (!Array.isArray(p.deployments)) problems.push('deployments is missing');
  if (problems.length > 0) return { problems };
  const plan = value as Plan;
  for (const [i, a] of plan.actions.entries()) {
    if (!['add', 'update', 'remove'].includes(a.action) || !a.token?.id || !a.deployment?.id) {
      problems.push(`actions[${i}] is malformed`);
    } else if (plan.tokens[a.token.id]?.fingerprint === undefined) {
      problems.push(`actions[${i}]: no fingerprint for token ${a.token.id}`);
    }
  }
  if (problems.length === 0 && planChecksum(plan.actions) !== plan.checksum) {
    problems.push('its checksum does not match its actions: the file was edited after it was planned');
  }
  return problems.length > 0 ? { problems } : { plan, problems };
}
