import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, exampleEmulator, runCli, tempDir } from '../support/cli.ts';

// apply through the real CLI against the emulator: what a careless operator or an edited file can do.

const IDS = { legacyBot: 'c5xtcoiayo4vt3wrsftdorcif', ciDeployer: 'clz9k2w1q000108mh3tq4a7vd' };

let running: Emulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function setup(opts: Partial<EmulatorOptions> = {}) {
  const { emulator, env } = await exampleEmulator(opts);
  running = emulator;
  return { emulator, env };
}

async function savedPlan(env: NodeJS.ProcessEnv, manifest = EXAMPLE_MANIFEST): Promise<{ file: string; plan: Record<string, unknown> }> {
  const file = join(tempDir(), 'plan.json');
  const r = await runCli(['plan', '-f', manifest, '--out', file], { env });
  expect(r.code, r.stderr).toBe(0);
  return { file, plan: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
}

/** The example manifest with `protect: [legacy-bot]`, a token the example plan removes a binding of. */
function protectingManifest(): string {
  const file = join(tempDir(), 'protect.yaml');
  writeFileSync(file, readFileSync(EXAMPLE_MANIFEST, 'utf8').replace(/^prune: true.*$/m, 'prune: true\nprotect:\n  - legacy-bot'));
  return file;
}

describe('a saved plan is the reviewed document, all of it', () => {
  it('refuses a plan whose protectedTokens were emptied to slip past the guard, exit 1, before any request', async () => {
    const { emulator, env } = await setup();
    const { file, plan } = await savedPlan(env, protectingManifest());
    expect(plan['protectedTokens']).toEqual([IDS.legacyBot]);
    plan['protectedTokens'] = [];
    writeFileSync(file, JSON.stringify(plan));
    emulator.log.length = 0;
    const r = await runCli(['apply', file, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checksum');
    expect(emulator.log).toEqual([]);
  });

  const edits: [string, (p: Record<string, unknown>) => void][] = [
    ['a guard input lowered', (p) => ((p['deployments'] as { existing: number }[])[0]!.existing = 0)],
    ['a token renamed', (p) => ((p['actions'] as { token: { name: string } }[])[0]!.token.name = 'harmless')],
    ['the summary edited', (p) => ((p['summary'] as { remove: number }).remove = 0)],
  ];
  for (const [what, edit] of edits) {
    it(`refuses a plan with ${what}, exit 1, before any request`, async () => {
      const { emulator, env } = await setup();
      const { file, plan } = await savedPlan(env);
      edit(plan);
      writeFileSync(file, JSON.stringify(plan));
      emulator.log.length = 0;
      const r = await runCli(['apply', file, '--auto-approve'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('checksum');
      expect(emulator.log).toEqual([]);
    });
  }

  it('refuses an organizationId that is not an ID, before it reaches a URL', async () => {
    const { emulator, env } = await setup();
    const { file, plan } = await savedPlan(env);
    plan['organizationId'] = '..';
    writeFileSync(file, JSON.stringify(plan));
    emulator.log.length = 0;
    const r = await runCli(['apply', file, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/organizationId');
    expect(emulator.log).toEqual([]);
  });
});
