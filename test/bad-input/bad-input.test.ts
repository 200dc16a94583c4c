import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { EXAMPLE_STATE, sentinelToken, tempDir } from '../support/cli.ts';
import { runMain } from '../faults/harness.ts';
import { allInputs, materialize } from './corpus.ts';

// Every hostile or broken manifest is a clear error (file:line:col: message), exit 1, and never leads to
// a write. Offline-broken files fail `validate` and reach no API at all; files whose names do not resolve
// pass `validate` and fail `plan`/`apply` after reading only.

const inputs = allInputs();
const dir = tempDir();
const paths = materialize(dir, inputs);
const pathOf = (name: string): string => paths.get(name)!;

// C0 (except tab, LF, CR), DEL and C1 controls: echoing them would let a manifest drive the terminal.
const RAW_CONTROL = /[\u0000-\u0008\u000B-\u000C\u000E-\u001F\u007F-\u009F]/;

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  emulator = await startEmulator({ state: EXAMPLE_STATE });
  env = { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() };
});
afterAll(() => emulator.close());

function expectClearError(stderr: string, path: string): void {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(stderr).toMatch(new RegExp(`^${escaped}:\\d+:\\d+: \\S`, 'm'));
  expect(stderr).not.toMatch(RAW_CONTROL);
  expect(stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace
}

describe('the bad-input corpus', () => {
  it('holds at least 50 hostile or broken manifests of every kind', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(50);
    for (const prefix of ['syntax-', 'schema-', 'dup-', 'ctrl-', 'enc-', 'alias-', 'ref-', 'generated/deep-', 'generated/huge-']) {
      expect(inputs.some((i) => i.name.includes(prefix)), prefix).toBe(true);
    }
  });
});

describe.each(inputs.filter((i) => i.kind === 'offline').map((i) => i.name))('offline-broken %s', (name) => {
  it('fails validate with a located message and exit 1', async () => {
    const r = await runMain(['validate', '-f', pathOf(name)]);
    expect(r.code).toBe(1);
    expectClearError(r.stderr, pathOf(name));
    expect(r.stderr).toMatch(/problems? found; nothing was sent to the API\.\n$/);
    expect(r.stdout).toBe('');
  });

  it('makes apply exit 1 before any request to the API', async () => {
    emulator.log.length = 0;
    const r = await runMain(['apply', '--auto-approve', '-f', pathOf(name)], env);
    expect(r.code).toBe(1);
    expectClearError(r.stderr, pathOf(name));
    expect(emulator.log).toEqual([]);
  });
});

describe.each(inputs.filter((i) => i.kind === 'references').map((i) => i.name))('unresolvable %s', (name) => {
  it('is valid offline', async () => {
    const r = await runMain(['validate', '-f', pathOf(name)]);
    expect(r.code).toBe(0);
  });

  it.each([['plan'], ['apply', '--auto-approve']])('makes %s exit 1 with a located message and no write', async (...argv) => {
    emulator.log.length = 0;
    const before = emulator.state();
    const r = await runMain([...argv, '-f', pathOf(name)], env);
    expect(r.code).toBe(1);
    expectClearError(r.stderr, pathOf(name));
    expect(emulator.log.filter((e) => e.method !== 'GET')).toEqual([]);
    expect(emulator.state()).toEqual(before);
  });
});
