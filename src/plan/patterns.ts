import type { SubjectType } from './types.ts';
import { globMatch } from './glob.ts';
import { emailKey } from '../util/email-key.ts';

// `ignore` and `protect` entries: a glob (`*`, `?`) on the whole token name, user email or team name, or
// an exact ID of any of them. Emails compare ignoring ASCII case (as the resolver matches them); token
// and team names exactly.

export interface SubjectMatcher {
  /** The first pattern that matches the subject, or null. A subject without a type is a token. */
  match(subject: { id: string; name: string; type?: SubjectType }): string | null;
}

export function subjectMatcher(patterns: readonly string[]): SubjectMatcher {
  // No patterns (the common case): nothing to match, and no key to build per binding.
  if (patterns.length === 0) return { match: () => null };
  const lowered = patterns.map(emailKey);
  // Cached per subject (checking the name too): the planner asks twice for every binding.
  const cache = new Map<string, { name: string; result: string | null }>();
  return {
    match(subject) {
      const type = subject.type ?? 'token';
      const key = `${type}:${subject.id}`;
      const hit = cache.get(key);
      if (hit !== undefined && hit.name === subject.name) return hit.result;
      const email = type === 'user' ? emailKey(subject.name) : undefined;
      const found = patterns.find((p, i) =>
        p === subject.id || (email === undefined ? globMatch(p, subject.name) : globMatch(lowered[i] ?? p, email)));
      const result = found ?? null;
      cache.set(key, { name: subject.name, result });
      return result;
    },
  };
}
