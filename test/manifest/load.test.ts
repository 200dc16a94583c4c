import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifestFiles, loadManifestSources } from '../../src/manifest/load.ts';
import { MAX_DEPTH, MAX_DIAGNOSTICS_PER_FILE, MAX_FILE_BYTES } from '../../src/manifest/limits.ts';

const ORG = 'clx42kkcm01fo01o06agtmshg';
const valid = `version: 1
organizationId: ${ORG}
workspaces:
  - workspace: Data Platform
    deployments:
      - deployment: prod
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
`;
const bytes = (s: string) => new TextEncoder().encode(s);

describe('loadManifestSources', () => {
  it('accepts text and bytes alike, with or without a BOM', () => {
    for (const text of [valid, `\uFEFF${valid}`, bytes(valid), bytes(`\uFEFF${valid}`)]) {
      const r = loadManifestSources([{ file: 'm.yaml', text }]);
      expect(r.errors).toEqual([]);
      expect(r.desired?.deployments[0]?.deployment.at).toEqual({ file: 'm.yaml', line: 6, col: 21 });
    }
  });

  it('reports bytes that are not UTF-8 at their line and column', () => {
    const head = bytes(valid.replace('ci-deployer', 'ci-'));
    const at = head.indexOf(bytes('ci-')[0] as number, bytes(valid).indexOf(bytes('token: ')[0] as number, 150)) + 3;
    const bad = new Uint8Array([...head.subarray(0, at), 0xff, 0xfe, ...head.subarray(at)]);
    const r = loadManifestSources([{ file: 'latin1.yaml', text: bad }]);
    expect(r.errors).toEqual([{ file: 'latin1.yaml', line: 8, col: 23, message: expect.stringContaining('not valid UTF-8 (byte 0xff)') }]);
    expect(r.desired).toBeUndefined();
  });

  it('reports a truncated multi-byte character at the end', () => {
    const bad = new Uint8Array([...bytes('version: 1\nx: '), 0xe2, 0x82]);
    const r = loadManifestSources([{ file: 'cut.yaml', text: bad }]);
    expect(r.errors).toEqual([{ file: 'cut.yaml', line: 2, col: 4, message: expect.stringContaining('not valid UTF-8') }]);
  });

  it('rejects a file over the size limit without parsing it', () => {
    const huge = `${valid}# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    for (const text of [huge, bytes(huge)]) {
      const r = loadManifestSources([{ file: 'huge.yaml', text }]);
      expect(r.errors).toEqual([{ file: 'huge.yaml', line: 1, col: 1, message: expect.stringContaining('file is too large') }]);
    }
  });

  it('rejects very deep nesting without overflowing the stack', () => {
    const n = 1_000_000;
    const flow = `a: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    const block = `${'- '.repeat(200_000)}x\n`;
    const mixed = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}- k:`).join('\n');
    for (const [file, text] of [['flow.yaml', flow], ['block.yaml', block], ['mixed.yaml', mixed]] as const) {
      const r = loadManifestSources([{ file, text }]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]?.message).toBe(`nesting is deeper than ${MAX_DEPTH} levels`);
    }
    expect(loadManifestSources([{ file: 'flow.yaml', text: flow }]).errors[0]).toMatchObject({ line: 1, col: 4 + MAX_DEPTH });
  });

  it('accepts nesting up to the limit and not one level more', () => {
    // The root mapping is one level; MAX_DEPTH - 1 lists inside it reach the limit exactly.
    const nested = (n: number) => `${valid}x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    const atLimit = loadManifestSources([{ file: 'ok.yaml', text: nested(MAX_DEPTH - 1) }]);
    expect(atLimit.errors.map((e) => e.message)).toEqual(['unknown key "x"; allowed keys here: version, organizationId, prune, ignore, protect, workspaces']);
    const over = loadManifestSources([{ file: 'deep.yaml', text: nested(MAX_DEPTH) }]);
    // Pointing at the first `[` one level too deep: line 10 is `x: [[[...`, and that `[` is list number MAX_DEPTH.
    expect(over.errors).toEqual([{ file: 'deep.yaml', line: 10, col: 3 + MAX_DEPTH, message: `nesting is deeper than ${MAX_DEPTH} levels` }]);
  });

  it('reports every file\'s problems in one run, sorted by file (as given), line and column', () => {
    const withErrors = valid.replace('role: DEPLOYMENT_ADMIN', 'role: ""').replace('version: 1', 'version: 1\nbogus: 1');
    const r = loadManifestSources([
      { file: 'z.yaml', text: withErrors },
      { file: 'a.yaml', text: 'just text' },
    ]);
    expect(r.errors.map((e) => `${e.file}:${e.line}:${e.col}`)).toEqual(['z.yaml:2:1', 'z.yaml:10:19', 'a.yaml:1:1']);
  });

  it('shows at most MAX_DIAGNOSTICS_PER_FILE problems per file, then how many more there are', () => {
    const extra = (n: number) => Array.from({ length: n }, (_, i) => `extra${i}: ${i}`).join('\n') + '\n';
    const r = loadManifestSources([
      { file: 'wide.yaml', text: valid + extra(MAX_DIAGNOSTICS_PER_FILE + 10) },
      { file: 'few.yaml', text: valid.replace('deployment: prod', 'deployment: dev') + extra(3) },
    ]);
    const wide = r.errors.filter((e) => e.file === 'wide.yaml');
    expect(wide).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(wide[0]).toEqual({ file: 'wide.yaml', line: 10, col: 1, message: expect.stringContaining('unknown key "extra0"') });
    expect(wide.at(-2)?.message).toContain(`unknown key "extra${MAX_DIAGNOSTICS_PER_FILE - 1}"`);
    // Placed where the first hidden problem stands, so it sorts last.
    expect(wide.at(-1)).toEqual({ file: 'wide.yaml', line: 10 + MAX_DIAGNOSTICS_PER_FILE, col: 1, message: '… 10 more problems in this file not shown' });
    expect(r.errors.filter((e) => e.file === 'few.yaml').map((e) => e.line)).toEqual([10, 11, 12]);
  });

  it('keeps the cap for 50,000 unknown keys, each shown at its own line', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `extra${i}: ${i}`).join('\n') + '\n';
    const r = loadManifestSources([{ file: 'm.yaml', text: valid + keys }]);
    expect(r.errors.map((e) => e.line)).toEqual(Array.from({ length: MAX_DIAGNOSTICS_PER_FILE + 1 }, (_, i) => 10 + i));
    expect(r.errors.at(-1)?.message).toBe(`… ${50_000 - MAX_DIAGNOSTICS_PER_FILE} more problems in this file not shown`);
  });

  // Spreading that many diagnostics into push() as arguments overflowed the stack.
  it('reports 150,000 problems in one file without overflowing the stack', { timeout: 60_000 }, () => {
    const text = `${valid}extra: {${'a: 1, '.repeat(150_000)}}\n`;
    const r = loadManifestSources([{ file: 'm.yaml', text }]);
    expect(r.errors).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(r.errors[0]?.message).toContain('unknown key "extra"'); // 1 problem, then 149,999 duplicates
    expect(r.errors[1]?.message).toBe('duplicate key "a" (first at line 10)');
    expect(r.errors.at(-1)?.message).toBe(`… ${150_000 - MAX_DIAGNOSTICS_PER_FILE} more problems in this file not shown`);
  });

  it('caps warnings per file the same way', () => {
    const deployment = (i: number) => `      - deployment: d${i}\n`;
    const text = `version: 1\norganizationId: ${ORG}\nworkspaces:\n  - workspace: W\n    deployments:\n` +
      Array.from({ length: MAX_DIAGNOSTICS_PER_FILE + 2 }, (_, i) => deployment(i)).join('');
    const r = loadManifestSources([{ file: 'm.yaml', text }]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(r.warnings.at(-1)).toEqual({ file: 'm.yaml', line: 6 + MAX_DIAGNOSTICS_PER_FILE, col: 9, message: '… 2 more warnings in this file not shown' });
  });

  it('needs at least one file', () => {
    expect(loadManifestSources([]).errors).toEqual([{ file: '(none)', line: 1, col: 1, message: 'no manifest files given' }]);
  });

  it('refuses an unknown tag at its position instead of warning and reading the value anyway', () => {
    const r = loadManifestSources([{ file: 'tag.yaml', text: valid.replace('token: ci-deployer', 'token: !custom ci-deployer') }]);
    expect(r.errors).toEqual([{ file: 'tag.yaml', line: 8, col: 20, message: expect.stringContaining('!custom') }]);
    expect(r.warnings).toEqual([]);
    expect(r.desired).toBeUndefined();
  });

  it('never throws, and places every diagnostic inside the file, whatever the input', () => {
    const fragments = ['version: 1\n', `organizationId: ${ORG}\n`, 'workspaces:\n', '  - workspace: W\n', '    deployments:\n',
      '      - deployment: d\n', '        workspaceTokens:\n', '          - token: t\n', '            role: R\n', '[', ']', '{', '}',
      ': ', '- ', '&a ', '*a ', '"', "'", '\t', '\r\n', '---\n', '? ', '!!str ', '#', '|\n', '\u0001', '\uFEFF'];
    const yamlish = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));
    const input = fc.oneof(yamlish, fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 200 }));
    fc.assert(fc.property(input, (text) => {
      const r = loadManifestSources([{ file: 'f.yaml', text }]);
      const length = typeof text === 'string' ? text.length : text.byteLength;
      const lines = (typeof text === 'string' ? text : new TextDecoder().decode(text)).split('\n').length;
      for (const d of [...r.errors, ...r.warnings]) {
        expect(d.file).toBe('f.yaml');
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.line).toBeLessThanOrEqual(lines);
        expect(d.col).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeLessThanOrEqual(length + 1);
      }
      expect(r.desired === undefined).toBe(r.errors.length > 0);
    }), { numRuns: 400 });
  });
});

describe('loadManifestFiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'astro-access-manifest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads files and loads them together', async () => {
    const file = join(dir, 'm.yaml');
    await writeFile(file, valid);
    const r = await loadManifestFiles([file]);
    expect(r.errors).toEqual([]);
    expect(r.desired?.files).toEqual([file]);
  });

  it('reports a missing file, a directory and an oversized file at 1:1, next to the other files\' problems', async () => {
    const missing = join(dir, 'missing.yaml');
    const folder = join(dir, 'folder.yaml');
    const big = join(dir, 'big.yaml');
    const other = join(dir, 'other.yaml');
    await mkdir(folder, { recursive: true });
    await writeFile(big, `# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    await writeFile(other, valid.replace('version: 1', 'version: 2'));
    const r = await loadManifestFiles([missing, folder, big, other]);
    expect(r.errors).toEqual([
      { file: missing, line: 1, col: 1, message: 'cannot read file: no such file' },
      { file: folder, line: 1, col: 1, message: 'cannot read file: it is a directory' },
      { file: big, line: 1, col: 1, message: expect.stringContaining('file is too large') },
      { file: other, line: 1, col: 10, message: '"version" must be 1 (found 2)' },
    ]);
    expect(r.desired).toBeUndefined();
  });
});
