import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/manifest/load.ts';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples');
const manifests = readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(examples, f));

describe('examples/*.yaml', () => {
  it('finds the example manifests', () => {
    expect(manifests.map((f) => f.slice(examples.length + 1))).toEqual(expect.arrayContaining(['astro-access.yaml', 'small.yaml']));
  });

  it.each(manifests)('%s validates without errors or warnings', async (file) => {
    const result = await loadManifestFiles([file]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.desired?.deployments.length).toBeGreaterThan(0);
  });
});
