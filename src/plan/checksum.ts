import { createHash } from 'node:crypto';
import type { Plan } from './types.ts';

/**
 * 'sha256:' + SHA-256 over the canonical serialization of the whole plan document except `checksum`
 * itself: the actions, and also what the guards read (protectedTokens, deployments), the names a
 * reviewer saw, the summary, the warnings and the organization. Any edit of a saved plan changes it.
 */
export function planChecksum(plan: Omit<Plan, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = plan;
  return 'sha256:' + createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * JSON with object keys sorted at every level and no whitespace; array order is kept (the planner
 * sorts its lists). Values are what JSON.parse of a plan yields; `undefined` members are left out as
 * JSON.stringify does, so a plan in memory and the same plan read back from a file hash alike.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
