import { afterEach, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokensPaginated } from '../../src/astro/types.ts';
import { call, closeAll, jwtFor, start } from './helpers.ts';
import { DEP_A1, DEP_A2, ORG, TOK_DEP, TOK_ORG, TOK_WS, WS_A } from '../support/emulator-states.ts';

afterEach(closeAll);

describe('auth', () => {
  it('answers 401 without a bearer token', async () => {
    const emu = await start();
    const res = await call(emu, 'GET', '/tokens', { token: null });
    expect(res.status).toBe(401);
    expect(res.json.message).toMatch(/bearer/i);
  });

  it('accepts any non-empty bearer token when no fixed token is set', async () => {
    const emu = await start();
    expect((await call(emu, 'GET', '/tokens', { token: 'anything' })).status).toBe(200);
  });

  it('with a fixed token, refuses others without echoing what was sent', async () => {
    const emu = await start({ token: 'the-right-one' });
    const wrong = await call(emu, 'GET', '/tokens', { token: 'WRONG-SECRET-123' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('WRONG-SECRET-123');
    expect((await call(emu, 'GET', '/tokens', { token: 'the-right-one' })).status).toBe(200);
  });
});

describe('not found', () => {
  it('answers 404 for unknown organizations, tokens, deployments, workspaces and paths', async () => {
    const emu = await start();
    const cases: [string, string, RegExp][] = [
      ['GET', '/v1/organizations/cnotmyorg/tokens', /organization cnotmyorg not found/],
      ['GET', '/tokens/cghost', /API token cghost not found/],
      ['POST', '/tokens/cghost/roles', /API token cghost not found/],
      ['GET', '/deployments/cghost', /deployment cghost not found/],
      ['GET', '/workspaces/cghost', /workspace cghost not found/],
      ['GET', '/clusters', /no such endpoint/],
      ['GET', '/v2/organizations', /no such endpoint/],
    ];
    for (const [method, path, message] of cases) {
      const res = await call(emu, method, path, { body: method === 'POST' ? { roles: [] } : undefined });
      expect(res.status, path).toBe(404);
      expect(res.json.message).toMatch(message);
    }
  });

  it('answers 405 for a known path with another method', async () => {
    const emu = await start();
    expect((await call(emu, 'PUT', `/tokens/${TOK_WS}/roles`, { body: { roles: [] } })).status).toBe(405);
  });
});

describe('request IDs', () => {
  it('sends X-Request-Id on every answer, the same as the error body says', async () => {
    const emu = await start();
    const ok = await call(emu, 'GET', '/tokens');
    const bad = await call(emu, 'GET', '/tokens/cghost');
    expect(ok.headers['x-request-id']).toMatch(/\S+/);
    expect(bad.json.requestId).toBe(bad.headers['x-request-id']);
    expect(bad.json.requestId).not.toBe(ok.headers['x-request-id']);
  });
});

describe('403 on the organization-wide token list', () => {
  it('refuses the list without a workspace filter, allows it with one', async () => {
    const emu = await start({ forbidOrganizationTokenList: true });
    expect((await call(emu, 'GET', '/tokens')).status).toBe(403);
    expect((await call(emu, 'GET', '/tokens?includeOnlyOrganizationTokens=true')).status).toBe(403);
    const scoped = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?workspaceId=${WS_A}`);
    expect(scoped.status).toBe(200);
    expect(scoped.json.tokens.map((t) => t.id)).toEqual([TOK_WS]);
  });
});

describe('the request log', () => {
  it('records method, path, query, status and the caller token ID in arrival order', async () => {
    const emu = await start();
    await call(emu, 'GET', `/deployments?workspaceIds=${WS_A}&workspaceIds=x&limit=5`, { token: jwtFor(TOK_ORG) });
    await call(emu, 'GET', '/tokens/cghost', { token: 'not-a-jwt' });
    await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles: [] } });
    expect(emu.log.map(({ at: _at, ...e }) => e)).toEqual([
      { method: 'GET', path: `/v1/organizations/${ORG}/deployments`, query: { workspaceIds: [WS_A, 'x'], limit: '5' }, status: 200, tokenId: TOK_ORG },
      { method: 'GET', path: `/v1/organizations/${ORG}/tokens/cghost`, query: {}, status: 404 },
      { method: 'POST', path: `/v1/organizations/${ORG}/tokens/${TOK_WS}/roles`, query: {}, status: 400 },
    ]);
    expect(emu.log.every((e) => typeof e.at === 'number')).toBe(true);
  });
});

describe('other endpoints', () => {
  it('deletes a token', async () => {
    const emu = await start();
    expect((await call(emu, 'DELETE', `/tokens/${TOK_DEP}`)).status).toBe(204);
    expect((await call(emu, 'GET', `/tokens/${TOK_DEP}`)).status).toBe(404);
    expect(emu.state().tokens.map((t) => t.id)).not.toContain(TOK_DEP);
  });

  it('still answers correctly with added latency', async () => {
    const emu = await start({ latencyMs: 30 });
    const res = await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`);
    expect(res.status).toBe(200);
    expect(res.json.roles).toContainEqual({ entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' });
  });

  it('with latency, answers the state as it was when the request was handled', async () => {
    const emu = await start({ latencyMs: 300 });
    const read = call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`);
    while (emu.log.length === 0) await new Promise((r) => setTimeout(r, 5));
    const roles = [
      { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
      { entityType: 'DEPLOYMENT', entityId: DEP_A2, role: 'DEPLOYMENT_ADMIN' },
    ];
    // Written while the GET's answer is held back; the GET still shows the roles it read.
    const write = call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles } });
    expect((await read).json.roles).toContainEqual({ entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' });
    expect((await write).status).toBe(200);
    expect((await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json.roles).toEqual(roles);
  });

  it('listens on 127.0.0.1 by default and reports its URL and port', async () => {
    const emu = await start();
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}/v1`);
    expect(emu.port).toBeGreaterThan(0);
  });
});
