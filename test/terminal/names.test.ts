import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, runCli, tempDir } from '../support/cli.ts';
import { emulatorPerTest, runMain } from '../support/in-process.ts';

// Issue 14 point 5: list by names, the organization from flag, environment or manifest, "did you mean".

const ORG = 'clx42kkcm01fo01o06agtmshg';
const PROD = 'clvduhrvd000008l842ohcpvb';

const emulator = emulatorPerTest();
const setup = (): Promise<NodeJS.ProcessEnv> => emulator.start();

const names = (stdout: string): string[] => (JSON.parse(stdout) as { name: string }[]).map((t) => t.name);

describe('list by name', () => {
  it('finds a deployment by name, with or without its workspace, as by ID', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: ORG };
    const byId = await runMain(['list', '--deployment-id', PROD, '--format', 'json'], { env });
    const byName = await runMain(['list', '--deployment', 'prod', '--format', 'json'], { env });
    const inWorkspace = await runMain(['list', '--deployment', 'prod', '--workspace', 'Data Platform', '--format', 'json'], { env });
    expect(byName.stderr).toBe('');
    expect(byName.code).toBe(0);
    expect(names(byName.stdout)).toEqual(['break-glass-admin', 'ci-deployer', 'legacy-bot']);
    expect(names(byName.stdout)).toEqual(names(byId.stdout));
    expect(inWorkspace.code).toBe(0);
    expect(names(inWorkspace.stdout)).toEqual(names(byId.stdout));
  });

  it('a misspelt deployment or workspace name gets "did you mean"', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: ORG };
    const d = await runMain(['list', '--deployment', 'prdo'], { env });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('error: deployment "prdo" not found; did you mean "prod"?');
    const w = await runMain(['list', '--deployment', 'prod', '--workspace', 'Data Platfrom'], { env });
    expect(w.code).toBe(1);
    expect(w.stderr).toContain('workspace "Data Platfrom" not found; did you mean "Data Platform"?');
  });

  it('a deployment in another workspace than the one named is not found there', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: ORG };
    const r = await runMain(['list', '--deployment', 'prod', '--workspace', 'Analytics'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('deployment "prod" not found in workspace "Analytics"');
    const byId = await runMain(['list', '--deployment-id', PROD, '--workspace', 'Analytics'], { env });
    expect(byId.code).toBe(1);
    expect(byId.stderr).toContain('not to "Analytics"');
  });

  it('two deployments with one name are refused, listing both IDs', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: ORG };
    emulator.current().mutate((s) => {
      const ml = s.deployments.find((d: { name: string }) => d.name === 'ml');
      if (ml) ml.name = 'prod';
    });
    const r = await runMain(['list', '--deployment', 'prod'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 deployments are named "prod"');
    expect(r.stderr).toContain(PROD);
    expect(r.stderr).toContain('cx4blbovjzpp5o902vhx932l2');
  });

  it('needs a deployment, and not two ways of naming it', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: ORG };
    expect((await runMain(['list'], { env })).stderr).toContain('give --deployment NAME or --deployment-id ID');
    const both = await runMain(['list', '--deployment', 'prod', '--deployment-id', PROD], { env });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('not both');
  });
});

describe('the organization', () => {
  it('comes from --organization-id before ASTRO_ORGANIZATION_ID', async () => {
    const env = { ...(await setup()), ASTRO_ORGANIZATION_ID: 'cnotanorganization0000000x' };
    const r = await runMain(['list', '--deployment', 'prod', '--organization-id', ORG, '--format', 'json'], { env });
    expect(r.code).toBe(0);
    const wrong = await runMain(['list', '--deployment', 'prod'], { env });
    expect(wrong.code).toBe(1);
    expect(emulator.current().log.some((e) => e.path.includes('cnotanorganization0000000x'))).toBe(true);
  });

  it('comes from the manifest given with -f when neither flag nor environment gives it', async () => {
    const env = await setup();
    const r = await runMain(['list', '--deployment', 'prod', '-f', EXAMPLE_MANIFEST, '--format', 'json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toContain('ci-deployer');
    expect(emulator.current().log.every((e) => e.path.startsWith(`/v1/organizations/${ORG}/`))).toBe(true);
  });

  it('comes from astro-access.yaml in the working directory, for list and export', async () => {
    const env = await setup();
    const dir = tempDir();
    copyFileSync(EXAMPLE_MANIFEST, join(dir, 'astro-access.yaml'));
    const l = await runCli(['list', '--deployment', 'prod'], { env, cwd: dir });
    expect(l.stderr).toBe('');
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('ci-deployer');
    const e = await runCli(['export'], { env, cwd: dir });
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`organizationId: ${ORG}`);
  });

  it('without any source, says the three ways to give it and sends nothing', async () => {
    const env = await setup();
    const r = await runCli(['export'], { env, cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--organization-id.*ASTRO_ORGANIZATION_ID.*astro-access\.yaml/);
    expect(emulator.current().log).toHaveLength(0);
  });

  it('a broken manifest is reported as such, before any request', async () => {
    const env = await setup();
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'version: 1\norganizationId: nope\nworkspaces: []\n');
    const r = await runMain(['list', '--deployment', 'prod', '-f', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2:`);
    expect(emulator.current().log).toHaveLength(0);
  });
});

describe('export --workspace', () => {
  it('a misspelt workspace gets "did you mean"', async () => {
    const env = await setup();
    const r = await runMain(['export', '--organization-id', ORG, '--workspace', 'Analytcs'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"Analytcs"; did you mean "Analytics"?');
  });
});
