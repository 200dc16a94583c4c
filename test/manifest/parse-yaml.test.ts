import fc from 'fast-check';
import { parseDocument, isAlias, visit } from 'yaml';
import type { Alias, Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYaml, resolveAliases } from '../../src/manifest/parse-yaml.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import { MAX_ALIAS_COUNT } from '../../src/manifest/limits.ts';

const ORG = 'clx42kkcm01fo01o06agtmshg';
const head = `version: 1\norganizationId: ${ORG}\n`;
const tail = `workspaces:
  - workspace: Data Platform
    deployments:
      - deployment: prod
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
`;

describe('resolveAliases', () => {
  it('maps each alias to the node yaml itself resolves it to (the last anchor of that name before it)', () => {
    const parts = ['&a ', '&b ', '*a', '*b', '*c', 'x', '[', ']', '{', '}', ', ', ': ', '\n', '- ', '  ', 'k: '];
    const yamlish = fc.array(fc.constantFrom(...parts), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(fc.property(yamlish, (text) => {
      const doc = parseDocument(text, { uniqueKeys: false });
      const expected = new Map<Alias, Node | undefined>();
      visit(doc, { Alias: (_, alias) => void expected.set(alias, alias.resolve(doc) as Node | undefined) });
      const actual = resolveAliases(doc);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [alias, target] of expected) expect(actual.get(alias)).toBe(target);
    }), { numRuns: 500 });
  });

  it('lists aliases in document order, including those inside keys', () => {
    const doc = parseDocument('a: &x 1\nb: [*x, {*x : 2}]\nc: *x\n', { uniqueKeys: false });
    const aliases = [...resolveAliases(doc).keys()];
    expect(aliases.map((a) => a.range?.[0])).toEqual([12, 17, 29]);
    expect(aliases.every((a) => isAlias(a))).toBe(true);
  });
});

describe('parseYaml on hostile input', () => {
  it('accepts an anchor used up to MAX_ALIAS_COUNT times, itself included', () => {
    const ignore = `ignore: [&a x${', *a'.repeat(MAX_ALIAS_COUNT - 1)}]\n`;
    const r = loadManifestSources([{ file: 'm.yaml', text: head + ignore + tail }]);
    expect(r.errors).toEqual([]);
    expect(r.desired?.ignore).toEqual(['x']);
  });

  it.each([
    ['one use more (yaml\'s own count)', MAX_ALIAS_COUNT],
    ['more aliases than the cap (counted before resolving any)', MAX_ALIAS_COUNT + 1],
    ['20,000 aliases', 20_000],
  ])('rejects %s at the first alias', (_, n) => {
    const ignore = `ignore: [&a x${', *a'.repeat(n)}]\n`;
    const r = parseYaml('m.yaml', head + ignore + tail);
    expect(r.parsed).toBeUndefined();
    expect(r.errors).toEqual([{ file: 'm.yaml', line: 3, col: 16, message: `aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); write the entries out` }]);
  });

  it('reports an alias used before its anchor as unknown, at the alias', () => {
    const r = parseYaml('m.yaml', `${head}ignore: [*a, &a x]\n${tail}`);
    expect(r.errors).toEqual([{ file: 'm.yaml', line: 3, col: 10, message: 'unknown alias *a' }]);
  });

  it('places errors inside an aliased node at the anchored node', () => {
    const text = `${head}workspaces:
  - workspace: A
    deployments:
      - &d
        deployment: prod
        workspaceTokens:
          - token: t
            rol: X
  - workspace: B
    deployments:
      - *d
`;
    const r = loadManifestSources([{ file: 'm.yaml', text }]);
    const unknown = r.errors.filter((e) => e.message.startsWith('unknown key "rol"'));
    expect(unknown.map((e) => `${e.line}:${e.col}`)).toEqual(['10:13', '10:13']);
  });

  it('reports a second document and reads no further (a broken third one goes unreported)', () => {
    const text = `${head}${tail}---\nother: 1\n---\n${'['.repeat(1000)}\n"unterminated\n`;
    const r = parseYaml('m.yaml', text);
    expect(r.errors).toEqual([{ file: 'm.yaml', line: 10, col: 1, message: expect.stringContaining('only one YAML document per file') }]);
  });

  it('reports duplicate keys once each, at the repeat, naming the first', () => {
    const text = `${head}version: 1\n${tail}organizationId: ${ORG}\n`;
    const r = parseYaml('m.yaml', text);
    expect(r.errors).toEqual([
      { file: 'm.yaml', line: 3, col: 1, message: 'duplicate key "version" (first at line 1)' },
      { file: 'm.yaml', line: 11, col: 1, message: 'duplicate key "organizationId" (first at line 2)' },
    ]);
  });

  it('emits no process warning for a key yaml has to stringify (it is reported as a diagnostic)', async () => {
    const seen: Error[] = [];
    const listener = (w: Error) => seen.push(w);
    process.on('warning', listener);
    try {
      const r = loadManifestSources([{ file: 'm.yaml', text: `${head}!!binary aGVsbG8=: 1\n${tail}` }]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(r.errors.map((e) => e.message)).toEqual([expect.stringContaining('unknown key "hello"')]);
      expect(seen.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', listener);
    }
  });
});
