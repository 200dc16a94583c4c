import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.ts';
import { CLI_BIN, EXAMPLE_MANIFEST, TEST_RATE_LIMIT, exampleEmulator, runCli, tempDir } from '../support/cli.ts';

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

/** Plan --out, edit the saved file, apply it: refused with exit 1 and no request at all; returns stderr. */
async function applyEdited(edit: (p: Record<string, unknown>) => void, manifest = EXAMPLE_MANIFEST): Promise<string> {
  const { emulator, env } = await setup();
  const { file, plan } = await savedPlan(env, manifest);
  edit(plan);
  writeFileSync(file, JSON.stringify(plan));
  emulator.log.length = 0;
  const r = await runCli(['apply', file, '--auto-approve'], { env });
  expect(r.code).toBe(1);
  expect(emulator.log).toEqual([]);
  return r.stderr;
}

describe('a saved plan is the reviewed document, all of it', () => {
  const edits: [string, (p: Record<string, unknown>) => void, string?][] = [
    ['protectedSubjects emptied to slip past the guard', (p) => {
      expect(p['protectedSubjects']).toEqual([IDS.legacyBot]);
      p['protectedSubjects'] = [];
    }, protectingManifest()],
    ['a guard input lowered', (p) => ((p['deployments'] as { existing: number }[])[0]!.existing = 0)],
    ['a token renamed', (p) => ((p['actions'] as { subject: { name: string } }[])[0]!.subject.name = 'harmless')],
    ['the summary edited', (p) => ((p['summary'] as { remove: number }).remove = 0)],
  ];
  for (const [what, edit, manifest] of edits) {
    it(`refuses a plan with ${what}: exit 1, before any request`, async () => {
      expect(await applyEdited(edit, manifest)).toContain('checksum');
    });
  }

  it('refuses an organizationId that is not an ID, before it reaches a URL', async () => {
    expect(await applyEdited((p) => (p['organizationId'] = '..'))).toContain('/organizationId');
  });
});

/** The CLI as a child process we can signal; resolves with its exit code (128 + n for a signal death). */
function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): { child: ChildProcess; result: Promise<{ code: number; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ASTRO_ACCESS_RATE_LIMIT: TEST_RATE_LIMIT, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    child.on('close', (code, signal) => done({ code: code ?? 128 + (signal === 'SIGINT' ? 2 : 15), stdout, stderr })),
  );
  return { child, result };
}

/** Resolves once the emulator has seen `n` roles POSTs. */
async function postsArrived(emulator: Emulator, n: number): Promise<void> {
  while (emulator.log.filter((e) => e.method === 'POST').length < n) await new Promise((r) => setTimeout(r, 5));
}

describe('Ctrl-C during apply', () => {
  it('the first SIGINT starts no new token, lets the write in flight finish, writes the receipt and exits 130', async () => {
    const { emulator, env } = await setup();
    emulator.fault({ kind: 'delay', ms: 1500, times: 100, method: 'POST' });
    const cwd = tempDir();
    const { child, result } = spawnCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve', '--parallelism', '1'], env, cwd);
    await postsArrived(emulator, 1);
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('Interrupted: 1 applied, 6 not started');
    const named = /Receipt written to (\S+)/.exec(r.stderr)?.[1];
    expect(named).toMatch(/^\.astro-access\/receipts\/apply-.*\.json$/);
    const receipt = JSON.parse(readFileSync(join(cwd, named!), 'utf8')) as { status: string; subjects: { subject: { id: string }; status: string; after: unknown }[] };
    expect(receipt.status).toBe('interrupted');
    const posted = emulator.log.filter((e) => e.method === 'POST' && e.status === 200).map((e) => e.path.split('/').at(-2));
    expect(posted).toHaveLength(1);
    // Every token the server accepted is in the receipt as applied, with what was written.
    const applied = receipt.subjects.filter((t) => t.status === 'applied');
    expect(applied.map((t) => t.subject.id)).toEqual(posted);
    expect(applied[0]!.after).not.toBeNull();
    expect(receipt.subjects.filter((t) => t.status === 'not-started')).toHaveLength(6);
  });

  it('a second SIGINT stops at once, still writing what is known (the write in flight as interrupted)', async () => {
    const { emulator, env } = await setup();
    emulator.fault({ kind: 'hang', times: 100, method: 'POST' });
    const dir = tempDir();
    const receiptFile = join(dir, 'receipt.json');
    const { child, result } = spawnCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve', '--parallelism', '2', '--receipt', receiptFile], env, dir);
    await postsArrived(emulator, 2);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('Interrupted: 0 applied, 5 not started, 2 interrupted while being written');
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as { subjects: { status: string; before: unknown }[] };
    const inFlight = receipt.subjects.filter((t) => t.status === 'interrupted');
    expect(inFlight).toHaveLength(2);
    expect(inFlight.every((t) => t.before !== null)).toBe(true);
  });
});

describe('output paths are checked before the first request', () => {
  it('an unwritable --receipt fails with exit 1 before any request', async () => {
    const { emulator, env } = await setup();
    const r = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve', '--receipt', join(tempDir(), 'no-such-dir', 'receipt.json')], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--receipt .* cannot be written/);
    expect(emulator.log).toEqual([]);
  });

  it('--receipt naming the manifest, and plan --out naming the manifest, are refused and the manifest kept', async () => {
    const { emulator, env } = await setup();
    const manifest = join(tempDir(), 'astro-access.yaml');
    const text = readFileSync(EXAMPLE_MANIFEST, 'utf8');
    writeFileSync(manifest, text);
    const a = await runCli(['apply', '-f', manifest, '--auto-approve', '--receipt', manifest], { env });
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/--receipt .* is an input file/);
    const p = await runCli(['plan', '-f', manifest, '--out', manifest], { env });
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/--out .* is an input file/);
    expect(readFileSync(manifest, 'utf8')).toBe(text);
    expect(emulator.log).toEqual([]);
  });

  it('apply PLAN.json --receipt PLAN.json is refused', async () => {
    const { emulator, env } = await setup();
    const { file } = await savedPlan(env);
    const before = readFileSync(file, 'utf8');
    emulator.log.length = 0;
    const r = await runCli(['apply', file, '--auto-approve', '--receipt', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is an input file/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(emulator.log).toEqual([]);
  });
});
