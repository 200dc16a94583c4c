import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/manifest/parse-yaml.ts';
import type { PathSegment, Positions } from '../../src/manifest/locate.ts';
import { readSimpleYaml } from '../../src/manifest/simple-yaml.ts';
import { generateOrg, sizeOf } from '../../bench/generate.ts';

// The fast reader must agree with the yaml package wherever it reads a file at all: the same data, no
// yaml problems, and the same position for every path the checks and normalize ask about.

const ORG = 'clx42kkcm01fo01o06agtmshg';
const GOOD = resolve(import.meta.dirname, '../fixtures/manifests/good');

/** Every path in `data`, plus a missing key and a missing index under each (lookups stop at what exists). */
function paths(data: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [prefix, [...prefix, 'nothing'], [...prefix, 7, 'role']];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof data === 'object' && data !== null) {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function positionsOf(p: Positions, data: unknown): string[] {
  return paths(data).map((path) => {
    const show = (at: { line: number; col: number }) => `${at.line}:${at.col}`;
    return `${path.join('.')} value ${show(p.value(path))} key ${show(p.key(path))} entry ${show(p.entry(path))}`;
  });
}

/** The value at a path of plain data, or undefined. */
function at(data: unknown, ...path: PathSegment[]): unknown {
  let node = data;
  for (const segment of path) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  return node;
}

/** Asserts agreement when the fast reader reads `text`; returns whether it did. */
function agrees(text: string): boolean {
  const fast = readSimpleYaml('m.yaml', text);
  if (fast === undefined) return false;
  const full = parseYaml('m.yaml', text);
  expect(full.errors).toEqual([]);
  expect(full.warnings).toEqual([]);
  expect(fast.data).toEqual(full.parsed?.data);
  expect(positionsOf(fast.positions, fast.data)).toEqual(positionsOf(full.parsed!.locator, fast.data));
  return true;
}

const minimal = `version: 1
organizationId: ${ORG}
workspaces:
  - workspace: Data Platform
    prune: false
    deployments:
      - deployment: staging
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
          -   tokenId: clx42kkcm01fo01o06agtmshh
              role: DAG_VIEWER
      - deploymentId: clx42kkcm01fo01o06agtmshi
        organizationTokens:
          - token: org-bot
            role: ORGANIZATION_MEMBER
ignore:
  - break-glass
`;

describe('readSimpleYaml', () => {
  it('reads the generated benchmark manifests, exactly as the yaml package does', () => {
    const { manifests } = generateOrg(sizeOf(1), { add: 0.015, update: 0.015, remove: 0.015 });
    for (const m of manifests) expect(agrees(m.text), m.file).toBe(true);
  });

  it('reads block manifests with leading comments, trailing spaces and end-of-line comments', () => {
    expect(agrees(minimal)).toBe(true);
    expect(agrees(`# a comment\n  # another\n\n${minimal.replace(/\n/g, '  \n').replace('role: DAG_VIEWER', 'role: DAG_VIEWER # why')}`)).toBe(true);
    expect(agrees(minimal.replace(/\n$/, ''))).toBe(true);
    expect(agrees(minimal.replace('ignore:', '# note\nignore:').replace('        workspaceTokens:\n', '        workspaceTokens:\n  # under a key, further left\n'))).toBe(true);
  });

  it('leaves values with Unicode spaces to the yaml package, which keeps them (only spaces are trimmed)', () => {
    for (const space of ['\u00A0', '\u2003', '\u3000', '\uFEFF', '\u2028']) {
      const cases: [string, PathSegment[], string][] = [
        [minimal.replace('workspace: Data Platform', `workspace: Data Platform${space}`), ['workspaces', 0, 'workspace'], `Data Platform${space}`],
        [minimal.replace('token: ci-deployer', `token: ${space}ci-deployer`), ['workspaces', 0, 'deployments', 0, 'workspaceTokens', 0, 'token'], `${space}ci-deployer`],
        [minimal.replace('- break-glass', `- ${space}break-glass`), ['ignore', 0], `${space}break-glass`],
      ];
      for (const [text, path, kept] of cases) {
        expect(readSimpleYaml('m.yaml', text), JSON.stringify(kept)).toBeUndefined();
        const full = parseYaml('m.yaml', text);
        expect(full.errors).toEqual([]);
        expect(at(full.parsed?.data, ...path)).toBe(kept);
      }
    }
  });

  it('reads users, teams, emails and unquoted expiry dates as the yaml package does (as text)', () => {
    const text = minimal.replace('        workspaceTokens:\n', `        users:
          - user: Alice.Smith+ops@Example.com
            role: DAG_VIEWER
            expires: 2026-12-31
          - userId: clx42kkcm01fo01o06agtmshj
            role: DAG_VIEWER
            expires: 2026-12-31T18:00:00.5+02:00
        teams:
          - team: Data Engineers
            role: DEPLOYMENT_ADMIN
            expires: 2026-12-31T18:00:00Z
          - teamId: clx42kkcm01fo01o06agtmshk
            role: DAG_VIEWER
        workspaceTokens:
`);
    expect(agrees(text)).toBe(true);
    expect(at(readSimpleYaml('m.yaml', text)?.data, 'workspaces', 0, 'deployments', 0, 'users')).toEqual([
      { user: 'Alice.Smith+ops@Example.com', role: 'DAG_VIEWER', expires: '2026-12-31' },
      { userId: 'clx42kkcm01fo01o06agtmshj', role: 'DAG_VIEWER', expires: '2026-12-31T18:00:00.5+02:00' },
    ]);
  });

  it('agrees with the yaml package on every good fixture it reads, and reads the plain ones', () => {
    const read = readdirSync(GOOD).filter((file) => agrees(readFileSync(join(GOOD, file), 'utf8').replace(/^\uFEFF/, '')));
    // The other good fixtures use flow style, quotes, anchors, CRLF or `---` on purpose.
    expect(read).toEqual(expect.arrayContaining(['minimal.yaml', 'unmanaged-deployment.yaml', 'users-and-teams.yaml']));
  });

  it.each([
    ['a quoted value', minimal.replace('role: DEPLOYMENT_ADMIN', 'role: "DEPLOYMENT_ADMIN"')],
    ['a flow list', minimal.replace('        workspaceTokens:\n', '        workspaceTokens: []\n        x:\n')],
    ['an anchor', minimal.replace('- deployment: staging', '- &d deployment: staging')],
    ['an empty value', minimal.replace('role: DAG_VIEWER', 'role:')],
    ['a null', minimal.replace('role: DAG_VIEWER', 'role: null')],
    ['a duplicate key', minimal.replace('    prune: false\n', '    prune: false\n    prune: true\n')],
    ['an unknown key', minimal.replace('prune: false', 'prun: false')],
    ['a tab', minimal.replace('role: DAG_VIEWER', 'role:\tDAG_VIEWER')],
    ['CRLF line ends', minimal.replace(/\n/g, '\r\n')],
    ['a list at its key\'s indentation', minimal.replace('  - break-glass', '- break-glass')],
    ['a continued plain scalar', minimal.replace('role: DAG_VIEWER\n', 'role: DAG\n                VIEWER\n')],
    ['a second document', `${minimal}---\n${minimal}`],
    ['a number with a leading zero', minimal.replace('version: 1', 'version: 01')],
    ['a glob (an alias indicator)', minimal.replace('break-glass', '*-bot')],
    ['a value that starts with @ (a reserved indicator)', minimal.replace('break-glass', '@ops')],
    ['a signed number', minimal.replace('version: 1', 'version: +1')],
    ['a date-time without an offset', minimal.replace('role: DAG_VIEWER', 'role: DAG_VIEWER\n              expires: 2026-12-31T18:00:00')],
    ['a date-time with a space for its T', minimal.replace('role: DAG_VIEWER', 'role: DAG_VIEWER\n              expires: 2026-12-31 18:00:00Z')],
    ['a key without a space after its colon', minimal.replace('version: 1', 'version:1')],
    ['a value with a colon', minimal.replace('role: DAG_VIEWER', 'role: a: b')],
    ['no mapping at all', 'just text\n'],
    ['nothing', ''],
  ])('leaves %s to the yaml package', (_, text) => {
    expect(readSimpleYaml('m.yaml', text)).toBeUndefined();
  });

  it('agrees with the yaml package on generated manifests with varied layout, values and broken lines', () => {
    const scalar = fc.constantFrom('1', '0', '42', 'true', 'false', 'True', 'x', 'a b', 'a  b', 'ws-01/x.y', 'x #c', 'x#c', 'yes', 'no', '1e3', '-', '- a', '', 'DAG_VIEWER', '\u00A0x', 'x\u3000',
      'a@b.c', 'a+b@c.d', '@a', '+1', 'a +1', '2026-12-31', '2026-13-01', '2026-12-31T18:00:00Z', '2026-12-31T18:00:00.25-05:30', '2026-12-31T18:00:00', '2026-12-31 18:00:00Z', '2026-12-31t18:00:00z', '20261231');
    const tail = fc.constantFrom('', '', ' ', '  # c', ' #');
    type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };
    const value: fc.Arbitrary<Tree> = fc.letrec<{ v: Tree; map: Tree; seq: Tree }>((tie) => ({
      v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
      map: fc.array(fc.tuple(fc.constantFrom('version', 'prune', 'workspaces', 'workspace', 'deployments', 'token', 'role', 'ignore', 'users', 'user', 'teams', 'expires'), tie('v')), { minLength: 1, maxLength: 3 })
        .map((map) => ({ map })),
      seq: fc.array(tie('v'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
    })).map;
    const layout = fc.record({ indent: fc.integer({ min: 1, max: 3 }), dash: fc.integer({ min: 1, max: 3 }), tails: fc.array(tail, { minLength: 8, maxLength: 8 }) });
    const render = (tree: Tree, l: { indent: number; dash: number; tails: string[] }): string => {
      let n = 0;
      const end = () => l.tails[n++ % l.tails.length] ?? '';
      const lines: string[] = [];
      // `first`: the text that opens the node's first line when the node starts after a `- `.
      const node = (t: Tree, col: number, first: string | undefined): void => {
        if (typeof t === 'string') {
          lines.push(`${first ?? ' '.repeat(col)}${t}${end()}`);
        } else if ('map' in t) {
          t.map.forEach(([k, v], i) => {
            const prefix = `${i === 0 && first !== undefined ? first : ' '.repeat(col)}${k}:`;
            if (typeof v === 'string') lines.push(`${prefix} ${v}${end()}`);
            else {
              lines.push(prefix + end());
              node(v, col + l.indent, undefined);
            }
          });
        } else {
          t.seq.forEach((item, i) => {
            const dash = `${i === 0 && first !== undefined ? first : ' '.repeat(col)}-`;
            if (typeof item !== 'string' && 'seq' in item) {
              lines.push(dash + end());
              node(item, col + l.indent, undefined);
            } else {
              node(item, col + 1 + l.dash, `${dash}${' '.repeat(l.dash)}`);
            }
          });
        }
      };
      node(tree, 0, undefined);
      return lines.join('\n') + '\n';
    };
    const mutate = fc.constantFrom('none', 'none', 'indent+1', 'indent-1', 'drop', 'repeat', 'comment', 'indented comment');
    let read = 0;
    fc.assert(fc.property(value, layout, mutate, fc.nat(), (tree, l, how, at) => {
      const lines = render(tree, l).split('\n');
      const i = at % Math.max(1, lines.length - 1);
      const line = lines[i] ?? '';
      if (how === 'indent+1') lines[i] = ` ${line}`;
      if (how === 'indent-1') lines[i] = line.replace(/^ /, '');
      if (how === 'drop') lines.splice(i, 1);
      if (how === 'repeat') lines.splice(i, 0, line);
      if (how === 'comment') lines.splice(i, 0, '# note');
      if (how === 'indented comment') lines.splice(i, 0, `${' '.repeat(at % 9)}# note`);
      if (agrees(lines.join('\n'))) read++;
    }), { numRuns: 6000 });
    // The property says something only if the fast reader did read a good share of the inputs.
    expect(read).toBeGreaterThan(300);
  });
});
