import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { EXAMPLE_MANIFEST, exampleEmulator, runCli, tempDir } from '../support/cli.ts';

const IDS = {
  prod: 'clvduhrvd000008l842ohcpvb',
  staging: 'cyy9o2uhv61h2o0tp58mnoy2b',
  ciDeployer: 'clz9k2w1q000108mh3tq4a7vd',
  dagReader: 'cbz3zdc316tfolzg42tg3z8eo',
  legacyBot: 'c5xtcoiayo4vt3wrsftdorcif',
  analyticsCi: 'catcgffwfonp1ut2t7p826buq',
  sharedBot: 'c9oxs0ns2epwqt1s0ir2lm4cj',
  orgObserver: 'cw4dinf6dlhxjieb6afp31poi',
};

let running: Emulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function setup(opts = {}) {
  const { emulator, env } = await exampleEmulator(opts);
  running = emulator;
  return { emulator, env };
}

function rolesOf(emulator: Emulator, tokenId: string): ApiTokenRole[] {
  const token = emulator.state().tokens.find((t: { id: string }) => t.id === tokenId);
  if (!token) throw new Error(`no token ${tokenId}`);
  return (token.roles ?? []) as ApiTokenRole[];
}

function posts(emulator: Emulator) {
  return emulator.log.filter((e) => e.method === 'POST');
}

describe('plan', () => {
  it('renders the example plan as text with a Terraform-like summary and makes no write', async () => {
    const { emulator, env } = await setup();
    const r = await runCli(['plan', '-f', EXAMPLE_MANIFEST], { env });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: 4 to add, 2 to change, 3 to remove.');
    expect(r.stdout).toMatch(/\+\s+dag-reader/);
    expect(r.stdout).toMatch(/-\s+legacy-bot/);
    expect(r.stdout).toMatch(/~\s+ci-deployer/);
    expect(r.stdout).toMatch(/~\s+Data Engineering\s+\S+\s+team\s+DAG_VIEWER → DEPLOYMENT_ADMIN\s+\S+:\d+, expires 2027-06-30/);
    expect(r.stdout).toMatch(/-\s+Data Engineering\s+\S+\s+team\s+DEPLOYMENT_ADMIN → \(none\)\s+\S+:\d+, expired on 2026-10-31/);
    expect(posts(emulator)).toHaveLength(0);
  });

  it('reads every list once: one request per list page, no per-token, per-user or per-team reads', async () => {
    const { emulator, env } = await setup();
    await runCli(['plan', '-f', EXAMPLE_MANIFEST], { env });
    const paths = emulator.log.map((e) => `${e.method} ${e.path}`).sort();
    expect(paths).toEqual([
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/deployments`,
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/roles`,
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/teams`,
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/tokens`,
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/users`,
      `GET /v1/organizations/clx42kkcm01fo01o06agtmshg/workspaces`,
    ]);
    // Read organization-wide: a list filtered by deployment carries only part of a subject's roles.
    const subjectReads = emulator.log.filter((e) => /\/(users|teams)$/.test(e.path));
    expect(subjectReads.map((e) => Object.keys(e.query).filter((k) => k !== 'limit' && k !== 'offset'))).toEqual([[], []]);
  });

  it('writes the JSON plan with --out and exits 2 with --detailed-exitcode when there are changes', async () => {
    const { env } = await setup();
    const out = join(tempDir(), 'plan.json');
    const r = await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'json', '--out', out, '--detailed-exitcode'], { env });
    expect(r.code).toBe(2);
    const printed = JSON.parse(r.stdout);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved).toEqual(printed);
    expect(saved.formatVersion).toBe(2);
    expect(saved.summary).toMatchObject({ add: 4, update: 2, remove: 3, unchanged: 2, unmanaged: 1, ignored: 1 });
    expect(Object.keys(saved.tokens)).toHaveLength(6);
    expect(Object.keys(saved.teams)).toEqual(['c2pkuw4ek65y7f0p273p9gfb0']);
    expect(saved.users).toEqual({});
    expect(saved.expirations).toEqual([expect.objectContaining({ expires: '2026-10-31', expired: true })]);
    expect(saved.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('renders markdown for pull requests', async () => {
    const { env } = await setup();
    const r = await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'markdown'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('```diff');
    expect(r.stdout).toMatch(/4 to add, 2 to change, 3 to remove/);
  });

  it('falls back to per-workspace token lists when the org-wide list is refused, for workspaces named in the manifest', async () => {
    const { emulator, env } = await setup({ forbidOrganizationTokenList: true });
    const r = await runCli(['plan', '-f', 'examples/small.yaml'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tokens were listed per workspace instead (1 workspace)');
    expect(r.stdout).toContain('Plan: 0 to add, 1 to change, 0 to remove.');
    const tokenLists = emulator.log.filter((e) => e.path.endsWith('/tokens') && e.status === 200);
    expect(tokenLists.map((e) => e.query.workspaceId)).toEqual(['clvdwt4z3000008l60ofb6347']);
  });

  it('reports an ambiguous token name with every matching ID, and a missing one with the closest names', async () => {
    const { emulator, env } = await setup();
    const dir = tempDir();
    const file = join(dir, 'm.yaml');
    writeFileSync(
      file,
      `version: 1
organizationId: clx42kkcm01fo01o06agtmshg
workspaces:
  - workspace: Analytics
    deployments:
      - deployment: reporting
        workspaceTokens:
          - token: shared-bot
            role: DEPLOYMENT_ADMIN
          - token: analytics-cj
            role: DEPLOYMENT_ADMIN
`,
    );
    const r = await runCli(['plan', '-f', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:8:`);
    expect(r.stderr).toContain('c9oxs0ns2epwqt1s0ir2lm4cj');
    expect(r.stderr).toContain('ck6di83d1c7rg9p6ltiwdnom2');
    expect(r.stderr).toContain('tokenId');
    expect(r.stderr).toContain(`${file}:10:`);
    expect(r.stderr).toContain('analytics-ci');
    expect(posts(emulator)).toHaveLength(0);
  });
});

describe('apply', () => {
  it('converges: one POST per changed token or team, foreign entries kept byte for byte, then an empty plan', async () => {
    const { emulator, env } = await setup();
    const before = emulator.state();
    const r = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve'], { env });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 7 of 7 subjects updated.');

    const written = posts(emulator).map((e) => e.path.split('/')[5]).sort();
    const dataEngineering = 'c2pkuw4ek65y7f0p273p9gfb0'; // the example's team: a grant added on prod, an ended one removed on staging
    expect(written).toEqual([IDS.ciDeployer, IDS.dagReader, IDS.legacyBot, IDS.analyticsCi, IDS.sharedBot, IDS.orgObserver, dataEngineering].sort());

    // Every role entry that is not a DEPLOYMENT entry on a managed deployment is exactly as before.
    const managed = new Set([IDS.prod, IDS.staging, 'c6yyp01uwfa475kqahw0yamn3', 'c4h0n0au52c1s1disogtvleq5']);
    const foreign = (roles: ApiTokenRole[]) => roles.filter((x) => !(x.entityType === 'DEPLOYMENT' && managed.has(x.entityId)));
    for (const t of before.tokens) {
      expect(foreign(rolesOf(emulator, t.id)), t.name).toEqual(foreign((t.roles ?? []) as ApiTokenRole[]));
    }
    expect(rolesOf(emulator, IDS.dagReader)).toContainEqual({
      entityType: 'DAG', entityId: 'example_dag', role: 'DAG_VIEWER', deploymentId: IDS.prod,
    });

    const again = await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--detailed-exitcode'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');

    // Applying again changes nothing, needs no confirmation, and still leaves a receipt.
    const receiptFile = join(tempDir(), 'receipt.json');
    const noop = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--receipt', receiptFile], { env });
    expect(noop.code).toBe(0);
    expect(noop.stdout).toContain('Apply complete: nothing to do.');
    expect(JSON.parse(readFileSync(receiptFile, 'utf8'))).toMatchObject({ status: 'nothing-to-do', subjects: [] });
    expect(posts(emulator)).toHaveLength(7);
  });

  it('converges against a server that adds role entries of its own on every write', async () => {
    const serverAdded: ApiTokenRole = { entityType: 'DAG', entityId: 'server_added', role: 'DAG_VIEWER', deploymentId: IDS.prod };
    const { emulator, env } = await setup({ implicitRoles: [serverAdded] });
    const r = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 7 of 7 subjects updated.');
    expect(rolesOf(emulator, IDS.ciDeployer)).toContainEqual(serverAdded);
    const again = await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--detailed-exitcode'], { env });
    expect(again.code).toBe(0);
  });

  it('refuses without --auto-approve when there is no terminal, and writes nothing', async () => {
    const { emulator, env } = await setup();
    const r = await runCli(['apply', '-f', EXAMPLE_MANIFEST], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect(posts(emulator)).toHaveLength(0);
  });

  it('apply PLAN.json refuses a token changed since the plan (conflict) and applies the others', async () => {
    const { emulator, env } = await setup();
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    const receiptFile = join(dir, 'receipt.json');
    expect((await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--out', planFile], { env })).code).toBe(0);

    // Someone else edits legacy-bot between plan and apply.
    const foreignWrite: ApiTokenRole[] = [
      { entityType: 'WORKSPACE', entityId: 'clvdwt4z3000008l60ofb6347', role: 'WORKSPACE_OPERATOR' },
      { entityType: 'DEPLOYMENT', entityId: IDS.prod, role: 'DEPLOYMENT_ADMIN' },
    ];
    emulator.mutate((s) => {
      const t = s.tokens.find((x: { id: string }) => x.id === IDS.legacyBot)!;
      t.roles = foreignWrite;
    });

    const r = await runCli(['apply', planFile, '--auto-approve', '--receipt', receiptFile], { env });
    expect(r.code).toBe(1);
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
    expect(receipt.status).toBe('partial');
    const byId = new Map(receipt.subjects.map((t: { subject: { id: string }; status: string }) => [t.subject.id, t.status]));
    expect(byId.get(IDS.legacyBot)).toBe('conflict');
    expect([...byId.values()].filter((s) => s === 'applied')).toHaveLength(6);
    expect(rolesOf(emulator, IDS.legacyBot)).toEqual(foreignWrite);
    expect(posts(emulator).some((e) => e.path.includes(IDS.legacyBot))).toBe(false);
  });

  it('a failure on one token exits 1 and the receipt names it; the others are applied', async () => {
    const { emulator, env } = await setup();
    emulator.fault({ kind: 'status', status: 400, times: 1, method: 'POST', path: new RegExp(`/tokens/${IDS.sharedBot}/roles$`) });
    const receiptFile = join(tempDir(), 'receipt.json');
    const r = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve', '--receipt', receiptFile], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Apply PARTIAL');
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
    const failed = receipt.subjects.filter((t: { status: string }) => t.status === 'failed');
    expect(failed.map((t: { subject: { id: string } }) => t.subject.id)).toEqual([IDS.sharedBot]);
    expect(failed[0].requestIds.length).toBeGreaterThan(0);
    expect(receipt.summary.applied).toBe(6);
  });

  it('refuses an edited plan file', async () => {
    const { emulator, env } = await setup();
    const planFile = join(tempDir(), 'plan.json');
    await runCli(['plan', '-f', EXAMPLE_MANIFEST, '--out', planFile], { env });
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    plan.actions[0].after = 'DEPLOYMENT_ADMIN';
    plan.actions[0].subject.id = IDS.orgObserver;
    writeFileSync(planFile, JSON.stringify(plan));
    const r = await runCli(['apply', planFile, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checksum');
    expect(posts(emulator)).toHaveLength(0);
  });
});

describe('export and list', () => {
  it('export writes a manifest on which plan shows no changes', async () => {
    const { emulator, env } = await setup();
    // Bind both tokens named shared-bot, so the export must tell them apart by ID.
    emulator.mutate((s) => {
      for (const t of s.tokens.filter((x: { name: string }) => x.name === 'shared-bot')) {
        t.roles = [...(t.roles ?? []), { entityType: 'DEPLOYMENT', entityId: 'cx4blbovjzpp5o902vhx932l2', role: 'DEPLOYMENT_ADMIN' }];
      }
    });
    const file = join(tempDir(), 'exported.yaml');
    const e = await runCli(['export', '--organization-id', 'clx42kkcm01fo01o06agtmshg', '-o', file], { env });
    expect(e.stderr).not.toMatch(/error/i);
    expect(e.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('tokenId: c9oxs0ns2epwqt1s0ir2lm4cj');
    expect(text).toContain('tokenId: ck6di83d1c7rg9p6ltiwdnom2');
    expect(text).toContain('token: org-auditor');
    const p = await runCli(['plan', '-f', file, '--detailed-exitcode'], { env });
    expect(p.stderr).not.toMatch(/error/i);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('No changes');
    expect(posts(emulator)).toHaveLength(0);
  });

  it("list prints the seed's table for one deployment's workspace tokens", async () => {
    const { env } = await setup();
    const r = await runCli(['list', '--deployment-id', IDS.prod], {
      env: { ...env, ASTRO_ORGANIZATION_ID: 'clx42kkcm01fo01o06agtmshg' },
    });
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+DESCRIPTION\s+SCOPE\s+DEPLOYMENT ROLE\s+CREATED\s+CREATED BY$/);
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(['break-glass-admin', 'ci-deployer', 'legacy-bot']);
    expect(r.stdout).toContain('Ada Lovelace');
    const all = await runCli(['list', '--deployment-id', IDS.prod, '--all-scopes', '--format', 'json'], {
      env: { ...env, ASTRO_ORGANIZATION_ID: 'clx42kkcm01fo01o06agtmshg' },
    });
    expect(JSON.parse(all.stdout).map((t: { name: string }) => t.name)).toContain('prod-local');
  });
});

describe('usage', () => {
  it('rejects an unknown flag with a hint', async () => {
    const r = await runCli(['plan', '--detailed-exit-code']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--detailed-exitcode');
  });

  it('every command has --help', async () => {
    for (const cmd of ['validate', 'plan', 'apply', 'list', 'export', 'emulator']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Usage: astro-access/);
    }
  });

  it('validate exits 0 on the examples and 1 with file:line:col on a broken manifest', async () => {
    expect((await runCli(['validate', '-f', EXAMPLE_MANIFEST])).code).toBe(0);
    expect((await runCli(['validate', '-f', 'examples/small.yaml'])).code).toBe(0);
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspace: x\n    deploymnets: []\n');
    const r = await runCli(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5:5:`);
  });

  it('counts every problem, also those a long list leaves unshown', async () => {
    const file = join(tempDir(), 'many.yaml');
    const keys = Array.from({ length: 120 }, (_, i) => `        k${i}: 1\n`).join('');
    writeFileSync(file, `version: 1\norganizationId: clx42kkcm01fo01o06agtmshg\nworkspaces:\n  - workspace: x\n    deployments:\n      - deployment: y\n${keys}`);
    const r = await runCli(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('more problems in this file not shown');
    expect(r.stderr).toContain('120 problems found; nothing was sent to the API.');
  });

  it('plan without ASTRO_API_TOKEN says which variable is missing', async () => {
    const r = await runCli(['plan', '-f', EXAMPLE_MANIFEST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ASTRO_API_TOKEN');
  });
});
