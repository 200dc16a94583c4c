import { readFileSync } from 'node:fs';
import { createAstroClient, readOnly, type AstroClient } from '../../src/astro/client.ts';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import { readActual } from '../../src/astro/read-actual.ts';
import { applyPlan } from '../../src/apply/executor.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import type { Desired } from '../../src/manifest/types.ts';
import { makePlan } from '../../src/plan/planner.ts';
import type { Plan } from '../../src/plan/types.ts';
import { EXAMPLE_MANIFEST, EXAMPLE_STATE, sentinelToken } from '../support/cli.ts';
import { snapshotRoles, type RoleSnapshot } from './harness.ts';

// One fault scenario: the example organization in an emulator, the example manifest, and a client with
// retries kept fast (small backoff, short timeouts, no pacing) so a storm of faults costs milliseconds.

export const ORG = 'clx42kkcm01fo01o06agtmshg';

export function exampleDesired(): Desired {
  const { desired, errors } = loadManifestSources([{ file: 'astro-access.yaml', text: readFileSync(EXAMPLE_MANIFEST, 'utf8') }]);
  if (!desired) throw new Error(`example manifest invalid: ${JSON.stringify(errors)}`);
  return desired;
}

export const FAST_CLIENT: Omit<AstroClientConfig, 'baseUrl' | 'token'> = {
  rateLimits: false,
  maxAttempts: 12,
  backoff: { baseMs: 2, maxMs: 20, retryAfterMaxMs: 1500 },
  timeouts: { connectMs: 1000, headersMs: 400, bodyMs: 400 },
};

export interface Scenario {
  emulator: Emulator;
  client: AstroClient;
  before: RoleSnapshot;
  close(): Promise<void>;
}

export async function scenario(
  emulatorOpts: Partial<EmulatorOptions> = {},
  clientOpts: Partial<AstroClientConfig> = {},
): Promise<Scenario> {
  const emulator = await startEmulator({ state: EXAMPLE_STATE, ...emulatorOpts });
  const client = createAstroClient({ baseUrl: emulator.url, token: sentinelToken(), organizationId: ORG, ...FAST_CLIENT, ...clientOpts });
  return {
    emulator,
    client,
    before: snapshotRoles(emulator),
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

/** Read with the read-only view and plan, as `plan` does. */
export async function planWith(client: AstroClient, desired: Desired = exampleDesired()): Promise<{ plan: Plan; warnings: string[] }> {
  // Users and teams are read when the manifest manages them, as the CLI does.
  const users = desired.deployments.some((d) => d.users !== undefined);
  const teams = desired.deployments.some((d) => d.teams !== undefined);
  const { actual, warnings } = await readActual(readOnly(client), { workspaceIds: [], users, teams });
  const { plan, errors } = makePlan(desired, actual);
  if (!plan) throw new Error(`plan failed: ${errors.map((e) => e.message).join('; ')}`);
  return { plan, warnings };
}

export function applyWith(plan: Plan, client: AstroClient, concurrency = 4): Promise<Receipt> {
  return applyPlan(plan, client, { concurrency });
}

/** The example organization after the example manifest is applied without faults. */
export async function convergedRoles(): Promise<RoleSnapshot> {
  const s = await scenario();
  try {
    const { plan } = await planWith(s.client);
    const receipt = await applyWith(plan, s.client);
    if (receipt.status !== 'applied') throw new Error('reference apply failed');
    return snapshotRoles(s.emulator);
  } finally {
    await s.close();
  }
}
