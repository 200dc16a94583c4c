import type { ActualToken } from '../astro/actual.ts';
import { cmp } from './order.ts';
import { quote as q } from '../util/sanitize.ts';

/**
 * Tokens the manifest binds that cannot use what they are given: an `endAt` in the past (the token has
 * expired), or kind DIRECT_ACCESS (not a STANDARD API token). One warning per token, naming every line.
 */
export function tokenStateWatch(now: number | undefined): { note(t: ActualToken, source: string): void; warnings(): string[] } {
  const seen = new Map<string, { token: ActualToken; sources: string[] }>();
  return {
    note(t, source) {
      const entry = seen.get(t.id);
      if (entry) entry.sources.push(source);
      else seen.set(t.id, { token: t, sources: [source] });
    },
    warnings() {
      const out: string[] = [];
      const tokens = [...seen.values()].sort((a, b) => cmp(a.token.name, b.token.name) || cmp(a.token.id, b.token.id));
      for (const { token: t, sources } of tokens) {
        const where = `token ${q(t.name)} (${t.id}), bound at ${sources.join(', ')}`;
        const end = t.endAt === undefined || t.endAt === null ? NaN : Date.parse(t.endAt);
        if (now !== undefined && !Number.isNaN(end) && end <= now) {
          out.push(`${where}: expired on ${t.endAt}; its roles have no effect until it is rotated or replaced`);
        }
        if (t.kind === 'DIRECT_ACCESS') {
          out.push(`${where}: is a DIRECT_ACCESS token, not a STANDARD API token; check that it should hold deployment roles`);
        }
      }
      return out;
    },
  };
}
