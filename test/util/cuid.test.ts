import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUID, CUID_PATTERN } from '../../src/util/cuid.ts';

describe('the cuid pattern', () => {
  it('is the one the manifest and plan schemas spell', () => {
    for (const file of ['schemas/manifest.schema.json', 'schemas/plan.schema.json']) {
      const patterns = [...readFileSync(file, 'utf8').matchAll(/"pattern": "(\^c\[[^"]+)"/g)].map((m) => m[1]);
      expect(patterns.length, file).toBeGreaterThan(0);
      for (const p of patterns) expect(p, file).toBe(CUID_PATTERN);
    }
  });

  it('accepts a cuid and nothing else', () => {
    expect(CUID.test('clvduhrvd000008l842ohcpvb')).toBe(true);
    for (const bad of ['..', 'Clvduhrvd000008l842ohcpvb', 'clvduhrvd000008l842ohcpv', 'clvduhrvd000008l842ohcpvb\n']) expect(CUID.test(bad)).toBe(false);
  });
});
