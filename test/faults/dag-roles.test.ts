import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorState } from '../../src/emulator/index.ts';
import { sentinelToken, tempDir } from '../support/cli.ts';
import { posts, runMain } from './harness.ts';

// Orphaned DAG roles and token states, end to end through the CLI against the emulator (with the
// server-side DAG rule switched on where it matters).

const ORG = 'corgdagrule00000000000001';
const WS = 'cwsdagrule000000000000001';
const PROD = 'cdepdagrule0000000000prod';
const READER = 'ctokdagreader000000000001';
const CI = 'ctokdagci0000000000000001';
const OLD = 'ctokdagold000000000000001';

const ws: ApiTokenRole = { entityType: 'WORKSPACE', entityId: WS, role: 'WORKSPACE_MEMBER' };
const onProd = (role: string): ApiTokenRole => ({ entityType: 'DEPLOYMENT', entityId: PROD, role });
const READER_ROLES: ApiTokenRole[] = [
  ws,
  onProd('DEPLOYMENT_ACCESSOR'),
  { entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_VIEWER', deploymentId: PROD },
];

function state(): EmulatorState {
  return {
    organization: { id: ORG, name: 'Dag Org' },
    workspaces: [{ id: WS, name: 'Data' }],
    deployments: [{ id: PROD, name: 'prod', workspaceId: WS }],
    tokens: [
      { id: READER, name: 'dag-reader', scope: 'WORKSPACE', roles: READER_ROLES },
      { id: CI, name: 'ci', scope: 'WORKSPACE', roles: [ws, onProd('DEPLOYMENT_ADMIN')] },
      { id: OLD, name: 'old-ci', scope: 'WORKSPACE', kind: 'DIRECT_ACCESS', endAt: '2026-01-02T00:00:00Z', roles: [ws] },
    ],
  };
}

const MANIFEST = `version: 1
organizationId: ${ORG}
workspaces:
  - workspace: Data
    deployments:
      - deployment: prod
        workspaceTokens:
          - token: ci
            role: DEPLOYMENT_ADMIN
          - token: old-ci
            role: DEPLOYMENT_ACCESSOR
`;

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function run(args: string[], opts: Partial<EmulatorOptions> = {}) {
  emulator ??= await startEmulator({ state: state(), ...opts });
  const dir = tempDir();
  writeFileSync(join(dir, 'm.yaml'), MANIFEST);
  return runMain([args[0] ?? 'plan', '-f', join(dir, 'm.yaml'), ...args.slice(1)], { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() });
}

const readerRoles = () => emulator?.state().tokens.find((t) => t.id === READER)?.roles;

describe('orphaned DAG roles', () => {
  it('apply refuses the removal as a guard (exit 3, naming the DAG entries), writing nothing', async () => {
    const r = await run(['apply', '--auto-approve'], { validation: { dagRoleNeedsDeploymentRole: true } });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('etl_daily'); // the plan, shown before the refusal
    expect(r.stderr).toMatch(/dag-reader.*would leave its DAG roles there without a deployment role: DAG "etl_daily" \(DAG_VIEWER\)/);
    expect(posts(emulator!)).toEqual([]);
    expect(readerRoles()).toEqual(READER_ROLES);
  });

  it('plan shows it in text, markdown and json', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const r = await run(['plan', '--format', format]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.replace(/&#95;/g, '_'), format).toMatch(/would orphan its DAG roles here: DAG \\?"etl_daily\\?" \(DAG_VIEWER\)/);
    }
    const json = JSON.parse((await run(['plan', '--format', 'json'])).stdout) as { actions: { subject: { id: string }; orphanedDagRoles?: unknown[] }[] };
    expect(json.actions.find((a) => a.subject.id === READER)?.orphanedDagRoles).toEqual([{ entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_VIEWER' }]);
  });

  it('with --allow-unsafe the write is sent; a server enforcing the DAG rule refuses it and the token is reported failed', async () => {
    const r = await run(['apply', '--auto-approve', '--allow-unsafe'], { validation: { dagRoleNeedsDeploymentRole: true } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/guard overridden by --allow-unsafe: .*etl_daily/);
    expect(r.stdout + r.stderr).toMatch(/DAG role on etl_daily needs a role on deployment/);
    expect(readerRoles()).toEqual(READER_ROLES);
  });
});

describe('token states', () => {
  it('an expired DIRECT_ACCESS token the manifest binds is flagged in every format', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const r = await run(['plan', '--format', format]);
      const out = r.stdout.replace(/&#95;/g, '_');
      expect(out, format).toMatch(/old-ci.*expired on 2026-01-02T00:00:00Z/);
      expect(out, format).toMatch(/old-ci.*is a DIRECT_ACCESS token/);
    }
  });
});
