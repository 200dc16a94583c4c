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

  it('starts with the createRequire banner its CommonJS dependencies need', () => {
    const first = readFileSync(join(ROOT, 'dist/index.js'), 'utf8').split('\n', 1)[0];
    expect(first).toBe("import { createRequire } from 'module'; const require = createRequire(import.meta.url);");
  });

  it('is the entry action.yml names, on node24', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m);
  });
});
