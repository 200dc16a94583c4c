import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { EXAMPLE_STATE, sentinelToken, tempDir } from '../support/cli.ts';
import { lostEntries, posts, runMain, snapshotRoles } from './harness.ts';

// A 403 on the organization-wide token list (a workspace-scoped API token): the tokens are listed per
// workspace instead, the user is told, and plan and apply still work for workspace tokens.

const MANIFEST = `version: 1
organizationId: clx42kkcm01fo01o06agtmshg
ignore: ["break-glass-*"]
workspaces:
  - workspaceId: clvdwt4z3000008l60ofb6347
    deployments:
      - deployment: prod
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
          - token: dag-reader
            role: DAG_VIEWER
      - deployment: staging
        workspaceTokens:
          - token: ci-deployer
            role: DEPLOYMENT_ADMIN
`;

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let file: string;
beforeEach(async () => {
  emulator = await startEmulator({ state: EXAMPLE_STATE, forbidOrganizationTokenList: true });
  env = { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() };
  file = join(tempDir(), 'astro-access.yaml');
  writeFileSync(file, MANIFEST);
});
afterEach(() => emulator.close());

describe('a 403 on the organization-wide token list', () => {
  it('plan falls back to per-workspace lists and says so', async () => {
    const r = await runMain(['plan', '--format', 'json', '-f', file], env);
    expect(r.code).toBe(0);
    const forbidden = emulator.log.filter((e) => e.path.endsWith('/tokens') && e.status === 403);
    expect(forbidden.length).toBeGreaterThan(0);
    expect(emulator.log.some((e) => e.query['workspaceId'] === 'clvdwt4z3000008l60ofb6347' && e.status === 200)).toBe(true);
    const plan = JSON.parse(r.stdout) as { warnings: string[]; actions: { action: string; subject: { name: string } }[] };
    expect(plan.warnings.join('\n')).toMatch(/403/);
    expect(plan.actions.map((a) => `${a.action} ${a.subject.name}`).sort()).toEqual([
      'add dag-reader',
      'remove legacy-bot',
      'update ci-deployer',
    ]);
    expect(posts(emulator)).toEqual([]);
  });

  it('apply converges, and a second plan is empty; nothing outside the plan is lost', async () => {
    const before = snapshotRoles(emulator);
    const r = await runMain(['apply', '--auto-approve', '-f', file], env);
    expect(r.code).toBe(0);
    const owned = new Set([
      'cbz3zdc316tfolzg42tg3z8eo|clvduhrvd000008l842ohcpvb',
      'c5xtcoiayo4vt3wrsftdorcif|clvduhrvd000008l842ohcpvb',
      'clz9k2w1q000108mh3tq4a7vd|cyy9o2uhv61h2o0tp58mnoy2b',
    ]);
    expect(lostEntries(before, snapshotRoles(emulator), owned)).toEqual([]);
    const again = await runMain(['plan', '--detailed-exitcode', '-f', file], env);
    expect(again.code).toBe(0);
  });
});
