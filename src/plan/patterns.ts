import type { ActualToken } from './actual.ts';

// `ignore` and `protect` entries: a glob (`*`, `?`) on the whole token name, or an exact token ID.

export interface TokenMatcher {
  /** The first pattern that matches the token, or null. */
  match(token: Pick<ActualToken, 'id' | 'name'>): string | null;
}

export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '[\\s\\S]*';
    else if (ch === '?') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'u');
}

export function tokenMatcher(patterns: readonly string[]): TokenMatcher {
  const compiled = patterns.map((p) => ({ pattern: p, re: globToRegExp(p) }));
  // Cached per token ID (checking the name too): the planner asks twice for every binding.
  const cache = new Map<string, { name: string; result: string | null }>();
  return {
    match(token) {
      const hit = cache.get(token.id);
      if (hit !== undefined && hit.name === token.name) return hit.result;
      const found = compiled.find((c) => c.pattern === token.id || c.re.test(token.name));
      const result = found ? found.pattern : null;
      cache.set(token.id, { name: token.name, result });
      return result;
    },
  };
}
