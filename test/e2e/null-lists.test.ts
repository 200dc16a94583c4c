import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, exampleEmulator, runCli } from '../support/cli.ts';

// The real API's Go encoding may send an empty list as null (`restrictedWorkspaceIds: null`, `roles: null`):
// the same plan comes out of an emulator that does so as out of one that sends [].

let running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.map((e) => e.close()));
  running = [];
});

describe('null lists from the API', () => {
  it('plan reads them as empty and plans exactly what it plans without them', async () => {
    const withNulls = await exampleEmulator({ nullLists: true });
    const withLists = await exampleEmulator();
    running = [withNulls.emulator, withLists.emulator];
    const [a, b] = await Promise.all([
      runCli(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'json'], { env: withNulls.env }),
      runCli(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'json'], { env: withLists.env }),
    ]);
    expect(a.stderr).not.toMatch(/TypeError|Cannot read/);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const actions = (r: { stdout: string }) => (JSON.parse(r.stdout) as { actions: unknown[] }).actions;
    expect(actions(a)).toEqual(actions(b));
    expect(actions(a).length).toBeGreaterThan(0);
    // The emulator did send nulls.
    const res = await fetch(`${withNulls.emulator.url}/organizations/${withNulls.emulator.state().organization.id}/roles`, { headers: { authorization: 'Bearer x' } });
    expect(await res.text()).toMatch(/":null/);
  }, 60_000);
});
