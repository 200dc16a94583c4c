import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, EXAMPLE_STATE, ROOT, runCli, sentinelToken, tempDir, type CliResult } from '../support/cli.ts';
import {
  GITHUB_TOKEN,
  MERGE_SHA,
  everythingShown,
  fixturePayload,
  prPayload,
  pull42,
  startWorld,
  type World,
} from '../fixtures/github/action-harness.ts';

// Every command and the Action, run with a sentinel API token; stdout, stderr, plan files, receipts,
// exports, comments, issues and summaries are searched for the token and for its JWT payload.

const TOKEN = sentinelToken();
const [, PAYLOAD] = TOKEN.split('.') as [string, string, string];
/** Needles: the whole token, its payload segment, the payload decoded, and a marker only the payload holds. */
const NEEDLES = [TOKEN, PAYLOAD, Buffer.from(PAYLOAD, 'base64url').toString('utf8'), 'SENTINEL-9f3a', GITHUB_TOKEN];
const ORG = 'clx42kkcm01fo01o06agtmshg';
const PROD = 'clvduhrvd000008l842ohcpvb';
const HOSTILE = join(ROOT, 'test/fixtures/hostile/offline/ctrl-ansi-escape-in-name.yaml');

const leaks = (text: string): string[] => NEEDLES.filter((n) => text.includes(n));
let searched = 0;
function expectClean(what: string, text: string): void {
  searched++;
  expect(leaks(text), what).toEqual([]);
}

it('the search finds a token planted in a text (the check can fail)', () => {
  expect(leaks(`log: Bearer ${TOKEN}`)).toEqual([TOKEN, PAYLOAD]);
  expect(leaks(`claims: ${Buffer.from(PAYLOAD, 'base64url').toString('utf8')}`)).toContain('SENTINEL-9f3a');
});

describe('the CLI never shows the API token', () => {
  let emulator: Emulator;
  let strict: Emulator; // accepts only another token: every request is a 401
  const dir = tempDir();
  const file = (name: string) => join(dir, name);
  const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: TOKEN, ...over });

  beforeAll(async () => {
    emulator = await startEmulator({ state: EXAMPLE_STATE });
    strict = await startEmulator({ state: EXAMPLE_STATE, token: 'a-different-token' });
  });
  afterAll(async () => {
    await emulator.close();
    await strict.close();
  });

  async function run(args: string[], e: NodeJS.ProcessEnv = env()): Promise<CliResult> {
    const r = await runCli(args, { env: e });
    expectClean(`stdout of ${args.join(' ')}`, r.stdout);
    expectClean(`stderr of ${args.join(' ')}`, r.stderr);
    return r;
  }

  it('in validate, plan (every format, --out, --debug), apply (--receipt, --debug, saved plan), list and export', async () => {
    expect((await run(['validate', '-f', EXAMPLE_MANIFEST])).code).toBe(0);
    expect((await run(['plan', '-f', EXAMPLE_MANIFEST, '--debug'])).code).toBe(0);
    expect((await run(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'markdown'])).code).toBe(0);
    const planned = await run(['plan', '-f', EXAMPLE_MANIFEST, '--format', 'json', '--out', file('plan.json'), '--debug']);
    expect(planned.code).toBe(0);
    expect(planned.stderr).toMatch(/debug: .*GET/); // --debug really printed requests
    expectClean('plan.json', readFileSync(file('plan.json'), 'utf8'));
    expect((await run(['list', '--deployment-id', PROD, '--organization-id', ORG])).code).toBe(0);
    expect((await run(['list', '--deployment-id', PROD, '--organization-id', ORG, '--format', 'json', '--all-scopes'])).code).toBe(0);
    expect((await run(['list', '--deployment-id', PROD, '--organization-id', ORG, '--kind', 'all'])).code).toBe(0);
    expect((await run(['list', '--deployment-id', PROD, '--organization-id', ORG, '--kind', 'all', '--format', 'json'])).code).toBe(0);
    expect((await run(['export', '--organization-id', ORG, '-o', file('export.yaml')])).code).toBe(0);
    expectClean('export.yaml', readFileSync(file('export.yaml'), 'utf8'));
    expect((await run(['apply', '--auto-approve', '--debug', '--receipt', file('receipt.json'), file('plan.json')])).code).toBe(0);
    expectClean('receipt.json', readFileSync(file('receipt.json'), 'utf8'));
    expect((await run(['apply', '--auto-approve', '-f', EXAMPLE_MANIFEST])).code).toBe(0);
  });

  it('in error paths: 401, 400, retried 5xx under --debug, guard refusal, bad manifest, bad URL, bad usage', async () => {
    const unauthorized = await run(['plan', '-f', EXAMPLE_MANIFEST, '--debug'], env({ ASTRO_API_URL: strict.url, ASTRO_ACCESS_DEBUG: '1' }));
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toMatch(/401/);

    emulator.setState(JSON.parse(readFileSync(EXAMPLE_STATE, 'utf8')) as EmulatorState);
    emulator.fault({ kind: 'status', status: 400, times: 100, method: 'POST', body: JSON.stringify({ message: 'bad roles', requestId: 'r1', statusCode: 400 }) });
    emulator.fault({ kind: 'status', status: 503, times: 2, method: 'GET' });
    const rejected = await run(['apply', '--auto-approve', '--debug', '--receipt', file('receipt-400.json'), '-f', EXAMPLE_MANIFEST], env({ ASTRO_ACCESS_DEBUG: '1' }));
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/retrying/);
    expectClean('receipt-400.json', readFileSync(file('receipt-400.json'), 'utf8'));
    emulator.clearFaults();

    const refused = await run(['apply', '--auto-approve', '--max-removals', '0', '-f', EXAMPLE_MANIFEST]);
    expect(refused.code).toBe(3);
    expect((await run(['validate', '-f', HOSTILE])).code).toBe(1);
    expect((await run(['plan', '-f', HOSTILE])).code).toBe(1);
    expect((await run(['plan', '-f', EXAMPLE_MANIFEST], env({ ASTRO_API_URL: 'http://example.com/v1' }))).code).toBe(1);
    expect((await run(['plan', '-f', EXAMPLE_MANIFEST], env({ ASTRO_API_URL: 'not a url' }))).code).toBe(1);
    expect((await run(['plan', '--no-such-flag'])).code).toBe(1);
    expect((await run(['plann'])).code).toBe(1);
    // A token that is not a valid header value: the HTTP layer must not quote it back.
    const mangled = `${TOKEN}\nX-Evil: 1`;
    expect((await run(['plan', '-f', EXAMPLE_MANIFEST], env({ ASTRO_API_TOKEN: mangled }))).code).toBe(1);
  });
});

describe('the Action never shows either token', () => {
  let world: World | undefined;
  afterAll(async () => world?.close());

  it('in plan comments, apply on merge, drift issues, summaries, outputs and logs', async () => {
    world = await startWorld();
    const pr = await world.run('pull_request', prPayload());
    expect(pr.code, pr.stdout).toBe(0);
    world.github.state.commitPulls.set(MERGE_SHA, [pull42({ state: 'closed', merged_at: '2026-01-02T00:00:00Z', merge_commit_sha: MERGE_SHA })]);
    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code, push.stdout).toBe(0);
    world.emulator.mutate((s) => {
      const t = s.tokens.find((x) => x.name === 'ci-deployer')!;
      t.roles = (t.roles ?? []).filter((r) => r.entityType !== 'DEPLOYMENT');
    });
    const drift = await world.run('schedule', fixturePayload('schedule'));
    expect(drift.code, drift.stdout).toBe(0);
    expect(world.github.state.issues.length).toBeGreaterThan(0);
    // The example's team grant on staging has ended: the scheduled run may remove it on its own.
    const expiring = await world.run('schedule', fixturePayload('schedule'), { inputs: { 'apply-expirations': 'true' } });
    expect(expiring.code, expiring.stdout).toBe(0);
    const broken = await world.run('pull_request', prPayload('aaaabbbbccccddddeeeeffff0000111122223333'), {
      files: { 'astro-access.yaml': readFileSync(HOSTILE, 'utf8') },
    });
    expect(broken.code).not.toBe(0);
    const denied = await world.run('pull_request', prPayload(), { inputs: { 'astro-api-token': `${TOKEN}x` } });
    expect(denied.code).not.toBe(0);
    for (const [i, text] of everythingShown(world).entries()) expectClean(`action text #${i}`, text);
  });
});

afterAll(() => {
  expect(searched).toBeGreaterThan(30);
});
