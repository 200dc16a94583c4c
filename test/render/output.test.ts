import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanJson, cleanOutput, outputPolicy, safeIo } from '../../src/render/output.ts';
import { quote } from '../../src/util/sanitize.ts';

const TOKEN = 'eyJhbGciOi.c2VjcmV0LXBhcnQ.sig-123456';
const plain = { secrets: [TOKEN], colour: false };

describe('the output sink', () => {
  it('masks the token whole, anything after Bearer, and the secrets of the environment', () => {
    const policy = outputPolicy({ ASTRO_API_TOKEN: TOKEN, GITHUB_TOKEN: 'ghs_abcdefghijklmnop' });
    const out = cleanOutput(`id ${TOKEN}; Authorization: Bearer other-credential-xyz; gh ghs_abcdefghijklmnop`, policy);
    expect(out).toBe('id ***; Authorization: Bearer ***; gh ***');
  });

  it('keeps newlines and tabs, escapes every other control, bidi and zero-width character', () => {
    expect(cleanOutput('a\tb\nc\rd\x1b]0;t\x07e\x7f\x85\u202e\u200b\u2066', plain)).toBe(
      'a\tb\nc\\x0dd\\x1b]0;t\\x07e\\x7f\\x85\\u202e\\u200b\\u2066');
  });

  it('lets through only our own colour codes, and only on a colour terminal', () => {
    const text = '\x1b[32m+\x1b[39m \x1b[2J\x1b[38;5;1mx';
    expect(cleanOutput(text, { secrets: [], colour: true })).toBe('\x1b[32m+\x1b[39m \\x1b[2J\\x1b[38;5;1mx');
    expect(cleanOutput(text, { secrets: [], colour: false })).toBe('\\x1b[32m+\\x1b[39m \\x1b[2J\\x1b[38;5;1mx');
  });

  it('writes JSON that means the same data with no raw unsafe character', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
      const text = cleanJson({ v, s }, { secrets: [], colour: false }, 2);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ v, s })));
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
    }));
  });

  it('quotes a value on one line, escaped', () => {
    expect(quote('a\nFAKE\u202e"')).toBe('"a\\nFAKE\\u202e\\""');
  });

  it('wraps an Io once, and passes each write on before write() returns', () => {
    const chunks: string[] = [];
    const stdout = new Writable({ write: (c: Buffer, _e, done) => { chunks.push(c.toString()); done(); } });
    const io = safeIo({ stdout, stderr: stdout, env: { ASTRO_API_TOKEN: TOKEN } });
    expect(safeIo(io).stdout).toBe(io.stdout);
    io.stdout.write(`one ${TOKEN}\x1b[2J\n`);
    io.stdout.write('two\n');
    expect(chunks.join('')).toBe('one ***\\x1b[2J\ntwo\n');
  });
});

describe('the output sink on a terminal', () => {
  it('lets through the progress line rewrite (CR, erase line) only on a terminal, and no other CR', () => {
    const text = '\r\x1b[2KApplying 1/2\r\x1b[1Aup\rx';
    expect(cleanOutput(text, { secrets: [], colour: false, terminal: true })).toBe('\r\x1b[2KApplying 1/2\\x0d\\x1b[1Aup\\x0dx');
    expect(cleanOutput(text, { secrets: [], colour: false })).toBe('\\x0d\\x1b[2KApplying 1/2\\x0d\\x1b[1Aup\\x0dx');
    expect(outputPolicy({ TERM: 'dumb' }, { isTTY: true }).terminal).toBe(false);
  });
});
