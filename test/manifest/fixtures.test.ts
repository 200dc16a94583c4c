import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/manifest/load.ts';
import type { Diagnostic } from '../../src/manifest/types.ts';

// Table-driven: each fixture states its expected diagnostics in comments:
//   # expect: LINE:COL message substring          (an error)
//   # expect-warning: LINE:COL message substring  (a warning)
// `<file>` and `<dir>` in a substring stand for the fixture's own path and its directory.
// A directory under bad/ is one case of several files, loaded together in name order.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/manifests');

interface Expected {
  kind: 'error' | 'warning';
  file: string;
  line: number;
  col: number;
  text: string;
}

function expectations(file: string): Expected[] {
  const text = new TextDecoder().decode(readFileSync(file)).replace(/^\uFEFF/, '');
  const out: Expected[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^#\s*expect(-warning)?:\s*(\d+):(\d+)\s+(.+)$/.exec(line);
    if (!m) continue;
    out.push({
      kind: m[1] ? 'warning' : 'error',
      file,
      line: Number(m[2]),
      col: Number(m[3]),
      text: (m[4] ?? '').trimEnd().replaceAll('<file>', file).replaceAll('<dir>', dirname(file)),
    });
  }
  return out;
}

/** Pairs each expectation with one diagnostic at exactly its position whose message contains its text. */
function unmatched(expected: Expected[], actual: Diagnostic[]): { missing: string[]; unexpected: string[] } {
  const left = [...actual];
  const missing: string[] = [];
  for (const e of expected) {
    const i = left.findIndex((d) => d.file === e.file && d.line === e.line && d.col === e.col && d.message.includes(e.text));
    if (i === -1) missing.push(`${e.file}:${e.line}:${e.col}: ${e.text}`);
    else left.splice(i, 1);
  }
  return { missing, unexpected: left.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`) };
}

function cases(dir: string): { name: string; files: string[] }[] {
  return readdirSync(dir).sort().map((name) => {
    const path = join(dir, name);
    const files = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)) : [path];
    return { name, files };
  });
}

const bad = cases(join(root, 'bad'));
const good = cases(join(root, 'good'));

describe('bad manifests report exactly the expected diagnostics', () => {
  it('has at least 35 cases', () => {
    expect(bad.length).toBeGreaterThanOrEqual(35);
  });

  it.each(bad)('$name', async ({ files }) => {
    const expected = files.flatMap(expectations);
    expect(expected.filter((e) => e.kind === 'error').length).toBeGreaterThan(0);
    const result = await loadManifestFiles(files);
    expect(unmatched(expected.filter((e) => e.kind === 'error'), result.errors)).toEqual({ missing: [], unexpected: [] });
    expect(unmatched(expected.filter((e) => e.kind === 'warning'), result.warnings)).toEqual({ missing: [], unexpected: [] });
    expect(result.desired).toBeUndefined();
  });
});

describe('good manifests load without errors', () => {
  it.each(good)('$name', async ({ files }) => {
    const expected = files.flatMap(expectations);
    const result = await loadManifestFiles(files);
    expect(result.errors).toEqual([]);
    expect(unmatched(expected.filter((e) => e.kind === 'warning'), result.warnings)).toEqual({ missing: [], unexpected: [] });
    expect(result.desired?.files).toEqual(files);
  });
});
