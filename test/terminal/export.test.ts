import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';
import { emulatorPerTest, runMain } from '../support/in-process.ts';

// Issue 14 point 8: an export one would commit: schema modeline, settings carried over, --force.

const ORG = 'clx42kkcm01fo01o06agtmshg';

const emulator = emulatorPerTest();
const setup = async (): Promise<NodeJS.ProcessEnv> => ({ ...(await emulator.start()), ASTRO_ORGANIZATION_ID: ORG });
const posts = (): number => emulator.current().log.filter((e) => e.method === 'POST').length;

describe('export', () => {
  it('starts with the yaml-language-server $schema modeline', async () => {
    const env = await setup();
    const r = await runMain(['export'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/\S+\/manifest\.schema\.json$/);
    const local = await runMain(['export', '--schema', '../schemas/manifest.schema.json'], { env });
    expect(local.stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/manifest.schema.json');
  });

  it('--like carries over ignore, protect and prune, and plan on the result shows no changes', async () => {
    const env = await setup();
    const dir = tempDir();
    const like = join(dir, 'like.yaml');
    writeFileSync(
      like,
      [
        `version: 1`,
        `organizationId: ${ORG}`,
        `prune: false`,
        `ignore: ["break-glass-*", "cnhz2olv998kgp5ba1hng9o7p"]`,
        `protect: [ci-deployer]`,
        `workspaces:`,
        `  - workspace: Data Platform`,
        `    deployments:`,
        `      - deployment: prod`,
        `        workspaceTokens: []`,
        `      - deployment: staging`,
        `        prune: true`,
        `        workspaceTokens: []`,
      ].join('\n') + '\n',
    );
    const out = join(dir, 'exported.yaml');
    const r = await runMain(['export', '--like', like, '-o', out], { env: { ...env, ASTRO_ORGANIZATION_ID: '' } });
    expect(r.stderr).toBe(`Wrote ${out}.\n`);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^prune: false$/m);
    expect(text).toContain('ignore:\n  - "break-glass-*"\n  - "cnhz2olv998kgp5ba1hng9o7p"\n');
    expect(text).toContain('protect:\n  - "ci-deployer"\n');
    // staging keeps its own prune: true, under its deployment line.
    expect(text).toMatch(/- deployment: staging {2}# \S+\n {8}prune: true\n/);
    expect(text.match(/^ +prune:/gm)).toHaveLength(1);

    const p = await runMain(['plan', '-f', out, '--format', 'json'], { env });
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.stdout) as { actions: unknown[]; ignored: unknown[] };
    expect(plan.actions).toEqual([]);
    expect(plan.ignored.length).toBeGreaterThan(0);
  });

  it('without --like writes no settings: the defaults apply', async () => {
    const env = await setup();
    const r = await runMain(['export'], { env });
    expect(r.stdout).not.toMatch(/^(prune|ignore|protect):/m);
  });

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const env = await setup();
    const out = join(tempDir(), 'astro-access.yaml');
    writeFileSync(out, 'keep me\n');
    const refused = await runMain(['export', '-o', out], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exists; not overwriting it (pass --force to replace it)');
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');

    const forced = await runMain(['export', '-o', out, '--force'], { env });
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`organizationId: ${ORG}`);
    expect(existsSync(`${out}.${process.pid}.tmp`)).toBe(false);
    expect(posts()).toBe(0);
  });

  it('--force without -o is a usage error', async () => {
    const env = await setup();
    const r = await runMain(['export', '--force'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--force only applies with -o FILE');
  });
});
