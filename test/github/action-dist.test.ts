import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAction } from '../../scripts/build-action.ts';
import { ROOT, tempDir } from '../support/cli.ts';

// dist/index.js is committed (GitHub runs it as is): it must be exactly what the sources build.

describe('the committed Action bundle', () => {
  it('is what the sources build (run `npm run build:action` after changing src/)', async () => {
    const out = await buildAction(tempDir());
    const built = readFileSync(out);
    const committed = readFileSync(join(ROOT, 'dist/index.js'));
    expect(built.equals(committed), 'dist/index.js is stale: run `npm run build:action` and commit dist/').toBe(true);
  });

  it('ships licenses.txt beside it, as the build writes it (run `npm run build:action` after a dependency change)', async () => {
    const dir = tempDir();
    await buildAction(dir);
    const built = readFileSync(join(dir, 'licenses.txt'));
    const committed = readFileSync(join(ROOT, 'dist/licenses.txt'));
    expect(built.equals(committed), 'dist/licenses.txt is stale: run `npm run build:action` and commit dist/').toBe(true);
  });

  it('carries the license of every package copy the bundle holds, read from the bundle itself', () => {
    const notices = readFileSync(join(ROOT, 'dist/licenses.txt'), 'utf8');
    const bundle = readFileSync(join(ROOT, 'dist/index.js'), 'utf8');
    // esbuild marks each bundled file with a "// node_modules/<package>/<file>" comment.
    const copies = new Set([...bundle.matchAll(/^\/\/ (\S*node_modules\/(?:@[^/\s]+\/)?[^/\s]+)\//gm)].map((m) => m[1]));
    const names = new Set<string>();
    for (const dir of copies) {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir!, 'package.json'), 'utf8')) as { name: string; version: string };
      names.add(pkg.name);
      const at = notices.indexOf(`\n${pkg.name}@${pkg.version} (`);
      expect(at, `${pkg.name}@${pkg.version} (${dir}) missing from dist/licenses.txt`).toBeGreaterThan(0);
      const end = notices.indexOf('\n-----', at);
      expect(notices.slice(at, end === -1 ? undefined : end)).toMatch(/Copyright|Apache License/);
    }
    const headers = notices.split('\n').filter((l) => /^\S+@\d+\.\d+\.\d+\S* \(.+\)$/.test(l));
    expect(headers).toHaveLength(copies.size);
    for (const name of ['undici', 'yaml', 'ajv', '@octokit/rest', '@actions/core']) expect(names).toContain(name);
  });

  it('starts with the createRequire banner its CommonJS dependencies need', () => {
    const first = readFileSync(join(ROOT, 'dist/index.js'), 'utf8').split('\n', 1)[0];
    expect(first).toBe("import { createRequire } from 'module'; const require = createRequire(import.meta.url);");
  });

  it('is the entry action.yml names, on node24', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m);
  });
});
