import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandManifestPatterns, matchGlob, parsePatterns } from '../../src/github/manifest-glob.ts';
import { tempDir } from '../support/cli.ts';

describe('manifest globs', () => {
  it('matches *, ? and ** by path segment', () => {
    expect(matchGlob('access/*.yaml', 'access/prod.yaml')).toBe(true);
    expect(matchGlob('access/*.yaml', 'access/sub/prod.yaml')).toBe(false);
    expect(matchGlob('access/**/*.yaml', 'access/prod.yaml')).toBe(true);
    expect(matchGlob('access/**/*.yaml', 'access/a/b/prod.yaml')).toBe(true);
    expect(matchGlob('team-?.yaml', 'team-a.yaml')).toBe(true);
    expect(matchGlob('team-?.yaml', 'team-ab.yaml')).toBe(false);
    expect(matchGlob('a.yaml', 'aXyaml')).toBe(false); // a dot is literal
  });

  it('splits the input on lines and commas', () => {
    expect(parsePatterns(' a.yaml, b/*.yaml\n\n  c.yaml \n# note')).toEqual(['a.yaml', 'b/*.yaml', 'c.yaml']);
  });

  it('expands under the root, sorted and unique, keeps plain paths, and reports empty globs and escapes', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'access/teams'), { recursive: true });
    mkdirSync(join(root, 'node_modules/x'), { recursive: true });
    for (const f of ['access/b.yaml', 'access/a.yaml', 'access/teams/c.yaml', 'access/notes.md', 'node_modules/x/d.yaml']) {
      writeFileSync(join(root, f), '');
    }
    const r = await expandManifestPatterns(root, ['access/**/*.yaml', './access/a.yaml', 'missing.yaml', 'none/*.yaml', '../up.yaml']);
    expect(r.files).toEqual(['access/a.yaml', 'access/b.yaml', 'access/teams/c.yaml', 'missing.yaml']);
    expect(r.problems).toEqual([
      'manifest pattern "none/*.yaml" matches no file',
      'manifest pattern "../up.yaml" must be relative to the repository root',
    ]);
    expect((await expandManifestPatterns(root, ['**/*.yaml'])).files).not.toContain('node_modules/x/d.yaml');
  });
});
