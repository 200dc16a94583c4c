import { describe, expect, it } from 'vitest';
import { sanitizeTerminal } from '../../src/util/sanitize.ts';

describe('sanitizeTerminal', () => {
  it('leaves ordinary text, including non-ASCII letters and emoji, as it is', () => {
    expect(sanitizeTerminal('ci-deployer Ünïcødé 数据 🚀 a→b')).toBe('ci-deployer Ünïcødé 数据 🚀 a→b');
  });

  it('shows C0, DEL and C1 controls as \\xNN', () => {
    expect(sanitizeTerminal('a\x1b[31mb\nc\td\x7fe\x9bf\x00')).toBe('a\\x1b[31mb\\x0ac\\x09d\\x7fe\\x9bf\\x00');
  });

  it('shows bidi overrides, isolates and line separators as \\uNNNN', () => {
    expect(sanitizeTerminal('a\u202eb\u2066c\u2028d\u200fe\ufeff')).toBe('a\\u202eb\\u2066c\\u2028d\\u200fe\\ufeff');
  });
});
