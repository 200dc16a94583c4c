import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiToken } from '../../src/astro/types.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, EXAMPLE_STATE, sentinelToken, tempDir } from '../support/cli.ts';
import { posts, runMain } from './harness.ts';

// The safety guards end to end, through the CLI against the emulator: each refusal exits 3, writes
// nothing and still prints the plan; --allow-unsafe applies and the receipt records the override.

const ORG = 'clx42kkcm01fo01o06agtmshg';
const DATA_PLATFORM = 'clvdwt4z3000008l60ofb6347';
const PROD = 'clvduhrvd000008l842ohcpvb';
const STAGING = 'cyy9o2uhv61h2o0tp58mnoy2b';
const SELF = 'c2p8v6d4r0t9w1x3z5b7n9m4k'; // astro-access-apply: the apiTokenId of the sentinel JWT

const token = (i: number): ApiToken => ({
  id: `cguard${String(i).padStart(19, '0')}`,
  name: `guard-${i}`,
  description: '',
  shortToken: `g${i}`,
  scope: 'WORKSPACE',
  kind: 'STANDARD',
  startAt: '2026-01-01T00:00:00Z',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  roles: [
    { entityType: 'WORKSPACE', entityId: DATA_PLATFORM, role: 'WORKSPACE_MEMBER' },
    { entityType: 'DEPLOYMENT', entityId: STAGING, role: 'DEPLOYMENT_ADMIN' },
  ],
});

const manifest = (deployments: string, top = ''): string =>
  `version: 1\norganizationId: ${ORG}\n${top}workspaces:\n  - workspace: Data Platform\n    deployments:\n${deployments}`;

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator({ state: EXAMPLE_STATE });
  env = { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() };
  dir = tempDir();
});
afterEach(() => emulator.close());

function write(text: string): string {
  const file = join(dir, 'astro-access.yaml');
  writeFileSync(file, text);
  return file;
}

/** Refused (exit 3, no write, plan shown), then applied with --allow-unsafe with the override recorded. */
async function refusedThenOverridden(file: string, violation: RegExp, extra: string[] = []): Promise<Receipt> {
  const state = emulator.state();
  const refused = await runMain(['apply', '--auto-approve', '-f', file, ...extra], env);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/refused by safety guards/);
  expect(refused.stderr).toMatch(violation);
  expect(refused.stdout).toMatch(/remove|update/); // the plan is still printed
  expect(posts(emulator)).toEqual([]);
  expect(emulator.state()).toEqual(state);

  const receiptFile = join(dir, 'receipt.json');
  const forced = await runMain(['apply', '--auto-approve', '--allow-unsafe', '--receipt', receiptFile, '-f', file, ...extra], env);
  expect(forced.code).toBe(0);
  const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as Receipt;
  expect(receipt.status).toBe('applied');
  expect(receipt.overriddenGuards.some((g) => violation.test(g))).toBe(true);
  expect((await runMain(['plan', '--detailed-exitcode', '-f', file], env)).code).toBe(0);
  return receipt;
}

describe('safety guards through the CLI', () => {
  it('refuses removing more than 25% of a deployment with 10 or more bindings', async () => {
    emulator.mutate((s) => s.tokens.push(...Array.from({ length: 10 }, (_, i) => token(i))));
    const kept = Array.from({ length: 7 }, (_, i) => `          - token: guard-${i}\n            role: DEPLOYMENT_ADMIN\n`).join('');
    const file = write(manifest(`      - deployment: staging\n        workspaceTokens:\n          - token: ci-deployer\n            role: DAG_VIEWER\n${kept}`));
    await refusedThenOverridden(file, /3 of its 11 managed bindings would be removed/);
    const staging = emulator.state().tokens.filter((t) => t.roles?.some((r) => r.entityType === 'DEPLOYMENT' && r.entityId === STAGING));
    expect(staging.length).toBe(8);
  });

  it('refuses more removals in all than --max-removals', async () => {
    // Counted across all kinds: legacy-bot's two bindings and the team's ended grant on staging.
    const receipt = await refusedThenOverridden(EXAMPLE_MANIFEST, /3 bindings would be removed in total, more than the limit of 1/, ['--max-removals', '1']);
    expect(receipt.subjects.find((t) => t.subject.name === 'legacy-bot')?.status).toBe('applied');
  });

  it('refuses emptying a deployment without an explicit empty list', async () => {
    // The only declared binding is of an ignored token: nothing would remain, and the manifest never said [].
    const file = write(manifest(
      '      - deployment: sandbox\n        workspaceTokens:\n          - token: break-glass-admin\n            role: DEPLOYMENT_ADMIN\n',
      'ignore: ["break-glass-*"]\n',
    ));
    await refusedThenOverridden(file, /all 1 managed bindings would be removed; write an explicit empty list/);
  });

  it("refuses changing the apply token's own roles (JWT apiTokenId)", async () => {
    emulator.mutate((s) => s.tokens.find((t) => t.id === SELF)!.roles!.push({ entityType: 'DEPLOYMENT', entityId: PROD, role: 'DEPLOYMENT_ADMIN' }));
    const file = write(manifest('      - deployment: prod\n        organizationTokens:\n          - token: org-observer\n            role: DEPLOYMENT_ADMIN\n'));
    await refusedThenOverridden(file, /astro-access-apply.*must not change its own roles/);
    expect(emulator.state().tokens.find((t) => t.id === SELF)!.roles!.some((r) => r.entityId === PROD)).toBe(false);
  });

  it('refuses adding a binding to the apply token too: any change to its own roles is refused', async () => {
    const file = write(manifest(
      '      - deployment: prod\n        organizationTokens:\n          - token: org-observer\n            role: DEPLOYMENT_ADMIN\n          - token: astro-access-apply\n            role: DEPLOYMENT_ADMIN\n',
    ));
    await refusedThenOverridden(file, /add of token "astro-access-apply".*must not change its own roles \(none → DEPLOYMENT_ADMIN\)/);
    expect(emulator.state().tokens.find((t) => t.id === SELF)!.roles!.some((r) => r.entityId === PROD)).toBe(true);
  });

  it('refuses removing a binding of a protected token', async () => {
    const text = readFileSync(EXAMPLE_MANIFEST, 'utf8').replace('ignore:\n', 'protect:\n  - "legacy-*"\nignore:\n');
    await refusedThenOverridden(write(text), /legacy-bot.*protected by the manifest's `protect` list/);
  });
});
