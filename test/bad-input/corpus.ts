import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The bad-input corpus: the hostile manifests under test/fixtures/hostile, plus the ones too big to
// commit, generated here. `offline` files must fail validation; `references` files are valid offline and
// must fail at plan time against the example organization. Shared by the test and bench/bad-input.ts.

export type CaseKind = 'offline' | 'references';

export interface BadInput {
  name: string;
  kind: CaseKind;
  bytes: Buffer;
}

export const HOSTILE_DIR = resolve(import.meta.dirname, '../fixtures/hostile');
const ORG = 'clx42kkcm01fo01o06agtmshg';
const HEAD = `version: 1\norganizationId: ${ORG}\n`;
const VALID_TAIL =
  'workspaces:\n  - workspace: Data Platform\n    deployments:\n      - deployment: staging\n' +
  '        workspaceTokens:\n          - token: ci-deployer\n            role: DEPLOYMENT_ADMIN\n';

/** Inputs too large to keep in Git: size limits, nesting depth, wide aliasing, very long lines. */
export function generatedInputs(): BadInput[] {
  const gen = (name: string, text: string | Buffer): BadInput => ({
    name: `generated/${name}`,
    kind: 'offline',
    bytes: typeof text === 'string' ? Buffer.from(text, 'utf8') : text,
  });
  const depth = 100_000;
  const deepBlock = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' end\n';
  return [
    // Over the size limit: a valid manifest padded with comments.
    gen('huge-over-limit.yaml', HEAD + VALID_TAIL + '# padding padding padding padding padding padding\n'.repeat(120_000)),
    // Under the limit but large, with one schema error at the very end.
    gen('large-with-late-error.yaml', HEAD + '# filler line to make the file large for the parser\n'.repeat(70_000) + VALID_TAIL + 'unexpected: true\n'),
    // Thousands of broken bindings: many diagnostics, each must still be clear.
    gen(
      'many-broken-bindings.yaml',
      HEAD + 'workspaces:\n  - workspace: Data Platform\n    deployments:\n      - deployment: staging\n        workspaceTokens:\n' +
        '          - token: ci-deployer\n            rol: DEPLOYMENT_ADMIN\n'.repeat(5000),
    ),
    gen('deep-flow-sequence.yaml', HEAD + 'workspaces: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n'),
    gen('deep-flow-mapping.yaml', HEAD + 'workspaces: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n'),
    gen('deep-flow-unclosed.yaml', HEAD + 'workspaces: ' + '['.repeat(depth) + '\n'),
    gen('deep-block-mapping.yaml', HEAD + 'extra:\n' + deepBlock.replace(/^/gm, '  ')),
    gen('deep-block-sequence.yaml', HEAD + 'workspaces:\n' + Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- `).join('\n') + 'x\n'),
    gen('wide-alias-fanout.yaml', HEAD + 'ignore: &a [x, y, z]\nprotect: [' + Array(20_000).fill('*a').join(', ') + ']\n' + VALID_TAIL),
    gen('long-line-unknown-key.yaml', HEAD + VALID_TAIL + 'k' + 'x'.repeat(3_000_000) + ': 1\n'),
    gen('long-scalar-with-control.yaml', HEAD + VALID_TAIL + `extra: "${'y'.repeat(2_000_000)}\u001b[0m"\n`),
    gen('many-documents.yaml', (HEAD + VALID_TAIL + '---\n').repeat(5000)),
    gen('many-keys.yaml', HEAD + VALID_TAIL + Array.from({ length: 50_000 }, (_, i) => `extra${i}: ${i}`).join('\n') + '\n'),
    gen('nul-flood.yaml', Buffer.concat([Buffer.from(HEAD), Buffer.alloc(1_000_000, 0)])),
    gen('invalid-utf8-flood.yaml', Buffer.concat([Buffer.from(HEAD + VALID_TAIL), Buffer.alloc(1_000_000, 0xff)])),
  ];
}

export function committedInputs(): BadInput[] {
  const out: BadInput[] = [];
  for (const kind of ['offline', 'references'] as const) {
    for (const file of readdirSync(join(HOSTILE_DIR, kind)).sort()) {
      out.push({ name: `${kind}/${file}`, kind, bytes: readFileSync(join(HOSTILE_DIR, kind, file)) });
    }
  }
  return out;
}

export function allInputs(): BadInput[] {
  return [...committedInputs(), ...generatedInputs()];
}

/** Writes each input under `dir` (keeping its relative name) and returns its path. */
export function materialize(dir: string, inputs: readonly BadInput[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const input of inputs) {
    const path = join(dir, input.name);
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, input.bytes);
    paths.set(input.name, path);
  }
  return paths;
}
