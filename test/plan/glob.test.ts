import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/plan/glob.ts';

// The reference: the regular expression the matcher replaced (correct, but exponential on `*a*a*…b`).
function reference(glob: string, name: string): boolean {
  const src = Array.from(glob)
    .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${src}$`, 'u').test(name);
}

describe('globMatch', () => {
  it('agrees with the regular-expression reference on random globs and names', () => {
    const chars = fc.constantFrom('a', 'b', '*', '?', '.', '😀');
    const text = fc.constantFrom('a', 'b', '.', '😀', '\n');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 8 }), fc.array(text, { maxLength: 10 }), (g, n) => {
        expect(globMatch(g.join(''), n.join(''))).toBe(reference(g.join(''), n.join('')));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches whole names, `?` as one code point, and handles the pattern that makes a regex backtrack', () => {
    expect(globMatch('bot-?', 'bot-😀')).toBe(true);
    expect(globMatch('bot-?', 'bot-12')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', 'x')).toBe(false);
    const evil = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const names = Array.from({ length: 5000 }, (_, i) => 'a'.repeat(39) + (i % 2 === 0 ? 'c' : 'b'));
    expect(names.filter((n) => globMatch(evil, n)).length).toBe(2500);
  });
});
