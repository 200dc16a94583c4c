import type { ActualToken } from '../astro/actual.ts';
import { globMatch } from './glob.ts';

// `ignore` and `protect` entries: a glob (`*`, `?`) on the whole token name, or an exact token ID.

export interface TokenMatcher {
  /** The first pattern that matches the token, or null. */
  match(token: Pick<ActualToken, 'id' | 'name'>): string | null;
}

export function tokenMatcher(patterns: readonly string[]): TokenMatcher {
  // Cached per token ID (checking the name too): the planner asks twice for every binding.
  const cache = new Map<string, { name: string; result: string | null }>();
  return {
    match(token) {
      const hit = cache.get(token.id);
      if (hit !== undefined && hit.name === token.name) return hit.result;
      const found = patterns.find((p) => p === token.id || globMatch(p, token.name));
      const result = found ?? null;
      cache.set(token.id, { name: token.name, result });
      return result;
    },
  };
}
