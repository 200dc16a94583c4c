import { describe, expect, it } from 'vitest';
import { SLOWDOWN } from '../../src/astro/pacer.ts';
import { readOnly } from '../../src/astro/client.ts';
import { VirtualClock } from '../support/virtual-clock.ts';
import { emulatorClient, failure } from './emulator-fixtures.ts';
import { bigState, cuid, DEP_A1, ORG, WS_A } from '../support/emulator-states.ts';

// The client against the project's emulator, over real HTTP on 127.0.0.1.

const TOKEN = 'astro_test_token_9c2f51e0d7a84b36';

const setup = emulatorClient(TOKEN, () => ({
  emulator: { state: bigState(10), token: TOKEN },
  client: { rateLimits: false, backoff: { baseMs: 1, maxMs: 10 } },
}));

const TOKENS_PATH = `/v1/organizations/${ORG}/tokens`;

describe('pagination', () => {
  it('reads all 2,500 tokens in the lower bound of requests with the default page size', async () => {
    const { emu, c } = await setup({ state: bigState(2500) });
    const tokens = await c.listTokens();
    expect(tokens).toHaveLength(2500);
    expect(new Set(tokens.map((t) => t.id)).size).toBe(2500);
    expect(emu.log.map((e) => [e.query['offset'], e.query['limit']])).toEqual([
      ['0', '1000'],
      ['1000', '1000'],
      ['2000', '1000'],
    ]);
  });

  it('still reads all 2,500, once each, from a server that caps limit at 100', async () => {
    const { emu, c } = await setup({ state: bigState(2500), maxLimit: 100 });
    const tokens = await c.listTokens();
    expect(tokens.map((t) => t.id).sort()).toEqual(bigState(2500).tokens.map((t) => t.id).sort());
    expect(emu.log).toHaveLength(25);
    expect(emu.log.map((e) => e.query['offset'])).toEqual(Array.from({ length: 25 }, (_, i) => String(i * 100)));
  });

  it('reads to the end with a smaller page size of its own', async () => {
    const { emu, c } = await setup({ state: bigState(2500) }, { pageSize: 300 });
    expect(await c.listTokens()).toHaveLength(2500);
    expect(emu.log).toHaveLength(9); // ceil(2500 / 300)
  });

  it('reads an empty list in one request', async () => {
    const { emu, c } = await setup({ state: { ...bigState(0) } });
    expect(await c.listTokens()).toEqual([]);
    expect(emu.log).toHaveLength(1);
  });

  it('turns an absent roles field into []', async () => {
    const { c } = await setup();
    const tokens = await c.listTokens();
    const bare = tokens.find((t) => t.id === cuid('t', 0)); // every 7th token has no roles on the wire
    expect(bare?.roles).toEqual([]);
    expect((await c.getToken(cuid('t', 7))).token.roles).toEqual([]);
    expect((await c.getToken(cuid('t', 1))).token.roles).toHaveLength(2);
  });

  it('passes filters and reads deployments, workspaces and custom deployment roles', async () => {
    const { emu, c } = await setup();
    expect((await c.listTokens({ workspaceId: WS_A })).map((t) => t.name)).toEqual(['token-2', 'token-4', 'token-6', 'token-8']);
    expect((await c.listDeployments({ workspaceIds: [WS_A] })).map((d) => d.id)).toEqual([DEP_A1]);
    expect(await c.listWorkspaces()).toHaveLength(2);
    const roles = await c.listDeploymentRoles();
    expect(roles.roles.map((r) => r.name)).toEqual(['DAG_VIEWER']);
    // The default roles come from the API's own listing, in the same request.
    expect(roles.defaultRoles.map((r) => r.name)).toEqual(['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR']);
    expect(emu.log.map((e) => e.query)).toContainEqual({ workspaceIds: WS_A, offset: '0', limit: '1000' });
    expect(emu.log.map((e) => e.query)).toContainEqual({ scopeTypes: 'DEPLOYMENT', includeDefaultRoles: 'true', offset: '0', limit: '1000' });
  });
});

describe('deployment roles', () => {
  it('reads every page of the roles list, collecting the default roles each page carries once', async () => {
    const state = bigState(10);
    for (const name of ['OPS', 'VIEWER_PLUS', 'AUDIT']) {
      state.roles?.push({ id: cuid(name.toLowerCase().slice(0, 3), 9), name, scopeType: 'DEPLOYMENT' });
    }
    state.roles?.push({ id: cuid('wsr', 9), name: 'WS_ONLY', scopeType: 'WORKSPACE' });
    const { emu, c } = await setup({ state, maxLimit: 1 });
    const roles = await c.listDeploymentRoles();
    expect(roles.roles.map((r) => r.name).sort()).toEqual(['AUDIT', 'DAG_VIEWER', 'OPS', 'VIEWER_PLUS']);
    expect(roles.defaultRoles.map((r) => r.name)).toEqual(['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR']);
    expect(emu.log.filter((e) => e.path.endsWith('/roles'))).toHaveLength(4);
  });
});

describe('retries', () => {
  it('recovers from 429 with Retry-After in seconds, and waits what the server asked', async () => {
    const lines: string[] = [];
    const clock = new VirtualClock(); // the second is waited on it, not slept
    const { emu, c } = await setup({}, { debug: (l) => lines.push(l), clock });
    emu.fault({ kind: 'status', status: 429, times: 1, retryAfter: '1' });
    expect(await c.listWorkspaces()).toHaveLength(2);
    expect(emu.log.map((e) => e.status)).toEqual([429, 200]);
    expect(lines.some((l) => l.includes('in 1000 ms (attempt 2/6) after 429'))).toBe(true);
    expect(clock.waits).toEqual([1000]);
    expect(c.stats()).toMatchObject({ retries: 1, rateLimited: 1 });
  });

  it('after a 429 paces its method lower for the rest of the run; waits go through the injected clock', async () => {
    const waits: number[] = [];
    let t = 0;
    const clock = { now: () => t, wait: async (ms: number) => void waits.push(ms, (t += ms)) };
    const { emu, c } = await setup({}, { rateLimits: { get: 20, post: 10 }, clock });
    emu.fault({ kind: 'status', status: 429, times: 1, retryAfter: '30', method: 'GET' });
    expect(await c.listWorkspaces()).toHaveLength(2);
    expect(waits).toContain(30_000); // the Retry-After, waited on the fake clock: the test did not sleep
    const after = c.stats().rates;
    expect(after?.get).toBeCloseTo(18 * SLOWDOWN);
    expect(after?.post).toBeCloseTo(9);
    await c.listWorkspaces();
    expect(c.stats().rates?.get).toBeCloseTo(18 * SLOWDOWN); // no 429 since: it stays lowered
  });

  it('honours Retry-After given as an HTTP-date', async () => {
    const lines: string[] = [];
    const { emu, c } = await setup({}, { debug: (l) => lines.push(l) });
    emu.fault({ kind: 'status', status: 429, times: 1, retryAfter: new Date(Date.now() - 5000).toUTCString() });
    expect(await c.listWorkspaces()).toHaveLength(2);
    expect(lines.some((l) => l.includes('in 0 ms (attempt 2/6) after 429'))).toBe(true);
  });

  it('recovers from 429 without Retry-After, by backoff', async () => {
    const lines: string[] = [];
    const { emu, c } = await setup({}, { debug: (l) => lines.push(l) });
    emu.fault({ kind: 'status', status: 429, times: 2 });
    expect(await c.listWorkspaces()).toHaveLength(2);
    expect(emu.log.map((e) => e.status)).toEqual([429, 429, 200]);
    const waits = lines.flatMap((l) => /retrying .* in (\d+) ms/.exec(l)?.slice(1) ?? []).map(Number);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeLessThanOrEqual(10); // backoff.maxMs, not a Retry-After
  });

  it('recovers from 503 then success', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 503, times: 1 });
    expect((await c.getToken(cuid('t', 1))).token.id).toBe(cuid('t', 1));
    expect(emu.log.map((e) => e.status)).toEqual([503, 200]);
  });

  it('retries connection resets before the response and mid-body, and a malformed body', async () => {
    const { emu, c } = await setup({ state: bigState(2500) });
    emu.fault({ kind: 'reset', times: 1, when: 'before-response' });
    emu.fault({ kind: 'reset', times: 1, when: 'mid-body' });
    emu.fault({ kind: 'malformed', times: 1 });
    expect(await c.listTokens()).toHaveLength(2500);
    expect(c.stats().retries).toBe(3);
  });

  it('retries the idempotent roles POST', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 502, times: 1, method: 'POST' });
    const roles = [
      { entityType: 'WORKSPACE' as const, entityId: WS_A, role: 'WORKSPACE_MEMBER' },
      { entityType: 'DEPLOYMENT' as const, entityId: DEP_A1, role: 'DAG_VIEWER' },
    ];
    const { result } = await c.replaceTokenRoles(cuid('t', 2), roles);
    expect(result.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DAG_VIEWER' }]);
    expect(emu.log.map((e) => [e.method, e.status])).toEqual([
      ['POST', 502],
      ['POST', 200],
    ]);
    expect((await c.getToken(cuid('t', 2))).token.roles).toEqual(roles);
  });

  it('gives up after maxAttempts and says how many attempts were made', async () => {
    const { emu, c } = await setup({}, { maxAttempts: 3 });
    emu.fault({ kind: 'status', status: 503, times: 10 });
    const err = await failure(c.listWorkspaces());
    expect(emu.log).toHaveLength(3);
    expect(err.attempts).toBe(3);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(
      new RegExp(`^Astro API GET /organizations/${ORG}/workspaces failed: 503 Service Unavailable: .*\\(request ID [^;]+; 3 attempts\\)$`),
    );
  });

  it('does not retry other 4xx', async () => {
    const { emu, c } = await setup();
    const err = await failure(c.getToken(cuid('x', 404)));
    expect(err.status).toBe(404);
    expect(err.attempts).toBe(1);
    expect(emu.log).toHaveLength(1);
  });
});

describe('errors', () => {
  it('surfaces a 400 with the API message, field errors and request ID', async () => {
    const { c } = await setup();
    const err = await failure(
      c.replaceTokenRoles(cuid('t', 2), [
        { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
        { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'NO_SUCH_ROLE' },
      ]),
    );
    expect(err.status).toBe(400);
    expect(err.method).toBe('POST');
    expect(err.path).toBe(`/organizations/${ORG}/tokens/${cuid('t', 2)}/roles`);
    expect(err.requestId).toEqual(expect.any(String));
    expect(err.fieldErrors.length).toBeGreaterThan(0);
    expect(err.message).toContain(`Astro API POST /organizations/${ORG}/tokens/${cuid('t', 2)}/roles failed: 400 Bad Request: `);
    expect(err.message).toContain('NO_SUCH_ROLE');
    expect(err.message).toContain(`(request ID ${err.requestId}; 1 attempt)`);
  });

  it('shows the token in no error text or debug line, even when the server echoes it', async () => {
    const lines: string[] = [];
    const { emu, c } = await setup({}, { debug: (l) => lines.push(l), maxAttempts: 2 });
    emu.fault({
      kind: 'status',
      status: 500,
      times: 2,
      body: JSON.stringify({ message: `internal error for ${TOKEN}`, requestId: 'r1', statusCode: 500 }),
    });
    const err = await failure(c.listTokens());
    expect(err.message).toContain('internal error for ***');
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err), ...lines]) expect(text).not.toContain(TOKEN);
  });

  it('reports a refused token (401) without the token', async () => {
    const { c } = await setup({ token: 'some-other-token-value' });
    const err = await failure(c.listWorkspaces());
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(TOKEN);
  });
});

describe('pacing', () => {
  // The client's pacing and the server's budget on one virtual clock: the documented rates without the
  // ~4.5 s of real spacing, and the same spacing on a loaded machine (pacer.test.ts tests the pacer alone).
  it('keeps a burst of 100 concurrent GETs and 20 POSTs under the documented limits (no 429)', async () => {
    const clock = new VirtualClock();
    const { emu, c } = await setup(
      { rateLimits: { get: 25, post: 10 }, now: () => clock.now() },
      { rateLimits: { get: 25, post: 10 }, maxAttempts: 1, clock },
    );
    const roles = [{ entityType: 'WORKSPACE' as const, entityId: WS_A, role: 'WORKSPACE_MEMBER' }];
    await Promise.all([
      ...Array.from({ length: 100 }, () => c.listWorkspaces()),
      ...Array.from({ length: 20 }, () => c.replaceTokenRoles(cuid('t', 2), roles)),
    ]);
    expect(emu.log).toHaveLength(120);
    expect(emu.log.filter((e) => e.status === 429)).toEqual([]);
    expect(c.stats()).toMatchObject({ requests: { GET: 100, POST: 20 }, retries: 0, rateLimited: 0 });
    // No 429, so no slowdown: still aiming at 90% of the configured rates.
    expect(c.stats().rates?.get).toBeCloseTo(22.5);
    expect(c.stats().rates?.post).toBeCloseTo(9);
  });

  it('without pacing a burst does meet the limit (the check above can fail)', async () => {
    // The same server and clock: unpaced, no time passes between the 100 requests, however slowly a
    // loaded machine sends them.
    const clock = new VirtualClock();
    const { emu, c } = await setup({ rateLimits: { get: 25, post: 10 }, now: () => clock.now() }, { rateLimits: false, maxAttempts: 1, clock });
    await Promise.allSettled(Array.from({ length: 100 }, () => c.listWorkspaces()));
    expect(emu.log.some((e) => e.status === 429)).toBe(true);
  });
});

describe('readOnly', () => {
  it('exposes the reader methods only', async () => {
    const { c } = await setup();
    const reader = readOnly(c);
    expect('replaceTokenRoles' in reader).toBe(false);
    expect('updateUserRoles' in reader).toBe(false);
    expect('updateTeamRoles' in reader).toBe(false);
    expect(Object.keys(reader).sort()).toEqual([
      'getTeam',
      'getToken',
      'getUser',
      'listDeploymentRoles',
      'listDeployments',
      'listTeams',
      'listTokens',
      'listUsers',
      'listWorkspaces',
      'organizationId',
    ]);
    expect(reader.organizationId).toBe(ORG);
    expect(await reader.listTokens()).toHaveLength(10);
  });
});
