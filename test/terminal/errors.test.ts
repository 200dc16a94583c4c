import { createServer } from 'node:net';
import { writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAstroClient } from '../../src/astro/client.ts';
import { AstroApiError } from '../../src/errors.ts';
import type { EmulatorOptions } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, sentinelToken, tempDir } from '../support/cli.ts';
import { emulatorPerTest, runMain } from '../support/in-process.ts';
import { VirtualClock } from '../support/virtual-clock.ts';

// Issue 14 point 6: errors that say what to do.

const ORG = 'clx42kkcm01fo01o06agtmshg';
const CI_DEPLOYER = 'clz9k2w1q000108mh3tq4a7vd';

const emulator = emulatorPerTest();
const setup = (opts: Partial<EmulatorOptions> = {}): Promise<NodeJS.ProcessEnv> => emulator.start(opts);
const posts = (): number => emulator.current().log.filter((e) => e.method === 'POST').length;

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function failure(baseUrl: string): Promise<AstroApiError> {
  const client = createAstroClient({ baseUrl, token: 'a-token-of-some-length', organizationId: ORG, maxAttempts: 1 });
  try {
    const err = await client.listWorkspaces().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof AstroApiError)) throw new Error(`expected an AstroApiError, got ${String(err)}`);
    return err;
  } finally {
    await client.close();
  }
}

describe('connection failures name the host and port', () => {
  it('a refused connection', async () => {
    const port = await closedPort();
    const err = await failure(`http://127.0.0.1:${port}/v1`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.hint).toContain(`127.0.0.1:${port}`);
    expect(err.hint).toContain('ASTRO_API_URL');
  });

  it('a host that does not resolve', async () => {
    const err = await failure('https://no-such-host.invalid/v1');
    expect(err.hint).toContain('no-such-host.invalid:443');
    expect(err.hint).toContain('DNS');
  });
});

describe('answers that say which setting or token to fix', () => {
  it('a 404 on a base URL without /v1 says so', async () => {
    const env = await setup();
    const url = env.ASTRO_API_URL!.replace(/\/v1$/, '');
    const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { env: { ...env, ASTRO_API_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Astro API GET .* 404 /m);
    expect(r.stderr).toContain(`hint: ASTRO_API_URL (${url}) does not end in /v1`);
  });

  it('a 401 names ASTRO_API_TOKEN and never prints it', async () => {
    const env = await setup({ token: 'the-only-accepted-token' });
    const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401');
    expect(r.stderr).toContain('hint: the API does not accept the token in ASTRO_API_TOKEN');
    expect(r.stderr).not.toContain(env.ASTRO_API_TOKEN!);
  });

  it('a 403 on a read names the token and permission reading needs', async () => {
    const env = await setup();
    emulator.current().fault({ kind: 'status', status: 403, times: 1, method: 'GET', path: '/workspaces' });
    const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hint: the token in ASTRO_API_TOKEN may not read this: .*Organization API token/);
  });

  it('a 403 on a write says apply needs Organization Owner, in the receipt line', async () => {
    const env = await setup();
    emulator.current().fault({ kind: 'status', status: 403, times: 100, method: 'POST', path: '/tokens/*/roles' });
    const r = await runMain(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed .*403 .*Organization Owner/m);
  });

  it('a token pasted with "Bearer " is caught before any request, and not printed', async () => {
    const env = await setup();
    const token = sentinelToken();
    for (const pasted of [`Bearer ${token}`, `bearer  ${token}`, `"${token}"`]) {
      const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { env: { ...env, ASTRO_API_TOKEN: pasted } });
      expect(r.code, pasted).toBe(1);
      expect(r.stderr).toMatch(/ASTRO_API_TOKEN (starts with "Bearer "|is wrapped in quotes)/);
      expect(r.stderr).not.toContain(token);
    }
    expect(emulator.current().log).toHaveLength(0);
  });
});

describe('retries', () => {
  it('are shown on stderr as they happen', async () => {
    const env = await setup();
    emulator.current().fault({ kind: 'status', status: 429, times: 1, method: 'GET', path: '/workspaces', retryAfter: '1' });
    const clock = new VirtualClock(); // the second is waited on it, not slept
    const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { env, client: { clock } });
    expect(r.code).toBe(0);
    expect(clock.waits).toContain(1000);
    expect(r.stderr).toContain(`retrying in 1 s: 429 (GET /organizations/${ORG}/workspaces, attempt 2 of 6)`);
  });
});

describe('numeric flags', () => {
  it.each([
    [['--parallelism', '0'], '--parallelism must be at least 1, got 0'],
    [['--parallelism', '-1'], '--parallelism must not be negative, got -1'],
    [['--parallelism=-1'], '--parallelism takes a whole number (1 or more), got "-1"'],
    [['--parallelism', '1.5'], '--parallelism takes a whole number (1 or more), got "1.5"'],
    [['--max-removals', '1e3'], '--max-removals takes a whole number (0 or more), got "1e3"'],
    [['--max-removals', ''], '--max-removals takes a whole number (0 or more), got ""'],
  ])('apply %j is refused before anything is read', async (flags, message) => {
    const env = await setup();
    const r = await runMain(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve', ...flags], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(emulator.current().log).toHaveLength(0);
  });
});

describe('saved plans', () => {
  it('apply FILE.yaml suggests -f, as does a manifest saved under another name', async () => {
    const env = await setup();
    const r = await runMain(['apply', EXAMPLE_MANIFEST], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`looks like a manifest, not a saved plan. To apply a manifest: astro-access apply -f ${EXAMPLE_MANIFEST}`);
    const other = join(tempDir(), 'plan.json');
    copyFileSync(EXAMPLE_MANIFEST, other);
    const r2 = await runMain(['apply', other], { env });
    expect(r2.stderr).toContain(`astro-access apply -f ${other}`);
    expect(emulator.current().log).toHaveLength(0);
  });

  it('a saved plan whose changes are all live already says "already applied", exits 0 and writes nothing', async () => {
    const env = await setup();
    const plan = join(tempDir(), 'plan.json');
    expect((await runMain(['plan', '-f', EXAMPLE_MANIFEST, '--out', plan], { env })).code).toBe(0);
    const first = await runMain(['apply', plan, '--auto-approve'], { env });
    expect(first.code).toBe(0);
    const written = posts();
    expect(written).toBeGreaterThan(0);
    const again = await runMain(['apply', plan, '--auto-approve'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('this plan was already applied; nothing was written');
    expect(again.stdout).not.toMatch(/conflict/);
    expect(posts()).toBe(written);
  });

  it('a stale plan says it is stale and what to do', async () => {
    const env = await setup();
    const plan = join(tempDir(), 'plan.json');
    expect((await runMain(['plan', '-f', EXAMPLE_MANIFEST, '--out', plan], { env })).code).toBe(0);
    // Someone else changes ci-deployer's roles, but not into what the plan wants.
    emulator.current().mutate((s) => {
      const t = s.tokens.find((x: { id: string }) => x.id === CI_DEPLOYER)!;
      t.roles = (t.roles ?? []).filter((r: { entityType: string }) => r.entityType !== 'DEPLOYMENT');
    });
    const r = await runMain(['apply', plan, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^conflict .*ci-deployer/m);
    expect(r.stdout).toContain("The plan is stale: 1 token changed since it was made. Run 'astro-access plan' again");
  });
});

describe('a broken plan file', () => {
  it('that is not a manifest either is reported as not JSON', async () => {
    const env = await setup();
    const file = join(tempDir(), 'm.json');
    writeFileSync(file, '{ not json');
    const r = await runMain(['apply', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a JSON file');
  });
});
