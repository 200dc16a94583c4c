import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokenRole, DeploymentsPaginated, Team, UpdateSubjectRolesRequest, User } from '../../src/astro/types.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { ANN, DATA, DEP_A1, DEP_A2, ORG, TOK_WS, WS_A, WS_B, subjectsState } from '../support/emulator-states.ts';

afterEach(closeAll);

const wsMember: ApiTokenRole = { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' };
const newRoles: ApiTokenRole[] = [wsMember, { entityType: 'DEPLOYMENT', entityId: DEP_A2, role: 'READER' }];
const original: ApiTokenRole[] = [wsMember, { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }];

function raw(emu: Emulator, method: 'GET' | 'POST', path: string, signal?: AbortSignal) {
  return request(`${emu.url}/organizations/${ORG}${path}`, {
    method,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify({ roles: newRoles }) } : {}),
    ...(signal === undefined ? {} : { signal }),
  });
}

const rolesPath = `/tokens/${TOK_WS}/roles`;
const storedRoles = (emu: Emulator) => emu.state().tokens.find((t) => t.id === TOK_WS)?.roles;

describe('status faults', () => {
  it('fail N matching requests (method and path pattern), then pass; nothing is written', async () => {
    const emu = await start();
    emu.fault({ kind: 'status', status: 503, times: 2, method: 'POST', path: '/tokens/*/roles' });
    expect((await call(emu, 'GET', `/tokens/${TOK_WS}`)).status).toBe(200);
    const first = await call(emu, 'POST', rolesPath, { body: { roles: newRoles } });
    expect(first.status).toBe(503);
    expect(first.json).toMatchObject({ statusCode: 503, requestId: first.headers['x-request-id'] });
    expect(storedRoles(emu)).toEqual(original);
    expect((await call(emu, 'POST', rolesPath, { body: { roles: newRoles } })).status).toBe(503);
    expect((await call(emu, 'POST', rolesPath, { body: { roles: newRoles } })).status).toBe(200);
    expect(storedRoles(emu)).toEqual(newRoles);
    expect(emu.log.map((e) => e.fault ?? '-')).toEqual(['-', 'status', 'status', '-']);
  });

  it('send Retry-After and a raw body when asked', async () => {
    const emu = await start();
    emu.fault({ kind: 'status', status: 429, times: 1, retryAfter: '7', body: 'slow down, not JSON' });
    const res = await call(emu, 'GET', '/tokens');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.text).toBe('slow down, not JSON');
  });

  it('match a RegExp against the whole path', async () => {
    const emu = await start();
    emu.fault({ kind: 'status', status: 500, times: 5, path: /\/deployments$/ });
    expect((await call(emu, 'GET', `/deployments/${DEP_A1}`)).status).toBe(200);
    expect((await call(emu, 'GET', '/deployments')).status).toBe(500);
  });

  it('are forgotten by clearFaults', async () => {
    const emu = await start();
    emu.fault({ kind: 'status', status: 500, times: 3 });
    emu.clearFaults();
    expect((await call(emu, 'GET', '/tokens')).status).toBe(200);
  });
});

describe('delays', () => {
  it('hold the answer back, then answer as usual', async () => {
    const emu = await start();
    emu.fault({ kind: 'delay', ms: 5000, times: 1, path: '/deployments' });
    await expect(raw(emu, 'GET', '/deployments', AbortSignal.timeout(150))).rejects.toThrow();
    const res = await call<DeploymentsPaginated>(emu, 'GET', '/deployments');
    expect(res.status).toBe(200);
    expect(res.json.totalCount).toBe(3);
    expect(emu.log.map((e) => e.fault ?? '-')).toEqual(['delay', '-']);
  });
});

describe('resets', () => {
  it('before the response: the connection drops and the write is not applied', async () => {
    const emu = await start();
    emu.fault({ kind: 'reset', when: 'before-response', times: 1, method: 'POST' });
    await expect(raw(emu, 'POST', rolesPath)).rejects.toThrow();
    expect(storedRoles(emu)).toEqual(original);
    expect(emu.log[0]).toMatchObject({ method: 'POST', status: 0, fault: 'reset' });
    expect((await call(emu, 'POST', rolesPath, { body: { roles: newRoles } })).status).toBe(200);
  });

  it('mid-body: headers and part of the body arrive, then the connection drops; the write was applied', async () => {
    const emu = await start();
    emu.fault({ kind: 'reset', when: 'mid-body', times: 1, method: 'POST' });
    const res = await raw(emu, 'POST', rolesPath);
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
    expect(storedRoles(emu)).toEqual(newRoles);
  });
});

describe('hangs', () => {
  it('never answer, while other requests are served, and close() still returns', async () => {
    const emu = await start();
    emu.fault({ kind: 'hang', times: 1, path: `/tokens/${TOK_WS}` });
    const hung = raw(emu, 'GET', `/tokens/${TOK_WS}`, AbortSignal.timeout(300));
    expect((await call(emu, 'GET', '/tokens')).status).toBe(200);
    await expect(hung).rejects.toThrow();
    expect(emu.log[0]).toMatchObject({ status: 0, fault: 'hang' });
    emu.fault({ kind: 'hang', times: 1 });
    const hungAtClose = raw(emu, 'GET', '/workspaces');
    while (emu.log.length < 3) await new Promise((r) => setTimeout(r, 10));
    await emu.close();
    await expect(hungAtClose).rejects.toThrow();
  });
});

describe('malformed bodies', () => {
  it('answer 200 with JSON that does not parse; a POST is still applied', async () => {
    const emu = await start();
    emu.fault({ kind: 'malformed', times: 2 });
    const get = await raw(emu, 'GET', `/tokens/${TOK_WS}`);
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toMatch(/application\/json/);
    const text = await get.body.text();
    expect(() => JSON.parse(text)).toThrow();
    const post = await raw(emu, 'POST', rolesPath);
    await expect(post.body.json()).rejects.toThrow();
    expect(storedRoles(emu)).toEqual(newRoles);
  });
});

describe('foreign writes', () => {
  it("replace the token's roles right after its Nth GET, as another admin", async () => {
    const emu = await start();
    const foreign: ApiTokenRole[] = [wsMember, { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'READER' }];
    emu.fault({ kind: 'foreignWrite', tokenId: TOK_WS, roles: foreign, afterReads: 2 });
    const get = async () => (await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json;
    expect((await get()).roles).toEqual(original);
    await call(emu, 'GET', '/tokens'); // a list is not a GET of the token
    const second = await get();
    expect(second.roles).toEqual(original); // the read itself saw the old roles
    const third = await get();
    expect(third.roles).toEqual(foreign);
    expect(third.updatedBy).toMatchObject({ fullName: 'Another Admin' });
    expect(Date.parse(third.updatedAt)).toBeGreaterThan(Date.parse(second.updatedAt));
    expect((await get()).roles).toEqual(foreign); // once only: nothing more happens
  });

  it('count every GET for each queued write of one token, whichever fires first', async () => {
    const emu = await start();
    const foreign: ApiTokenRole[] = [wsMember, { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'READER' }];
    emu.fault({ kind: 'foreignWrite', tokenId: TOK_WS, roles: newRoles, afterReads: 1 });
    emu.fault({ kind: 'foreignWrite', tokenId: TOK_WS, roles: foreign, afterReads: 3 });
    const get = async () => (await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json.roles;
    expect(await get()).toEqual(original);
    expect(await get()).toEqual(newRoles);
    expect(await get()).toEqual(newRoles); // the third GET, answered before the second write
    expect(storedRoles(emu)).toEqual(foreign);
  });

  it('fire after the first GET by default', async () => {
    const emu = await start();
    emu.fault({ kind: 'foreignWrite', tokenId: TOK_WS, roles: newRoles });
    await call(emu, 'GET', `/tokens/${TOK_WS}`);
    expect(storedRoles(emu)).toEqual(newRoles);
  });
});

describe('foreign writes on users and teams', () => {
  const set: UpdateSubjectRolesRequest = {
    organizationRole: 'ORGANIZATION_OWNER',
    workspaceRoles: [{ workspaceId: WS_B, role: 'WORKSPACE_MEMBER' }],
    deploymentRoles: [],
    dagRoles: [],
  };
  const stored = (emu: Emulator, id: string) => {
    const s = emu.state();
    const { organizationRole, workspaceRoles, deploymentRoles, dagRoles } = [...(s.users ?? []), ...(s.teams ?? [])].find((x) => x.id === id)!;
    return { organizationRole, workspaceRoles, deploymentRoles, dagRoles };
  };

  it("replace a user's whole set right after its Nth GET, stored as given (no Workspace Accessor added)", async () => {
    const emu = await start({ state: subjectsState() });
    const before = stored(emu, ANN);
    emu.fault({ kind: 'foreignWrite', userId: ANN, set, afterReads: 2 });
    const get = async () => (await call<User>(emu, 'GET', `/users/${ANN}`)).json;
    await call(emu, 'GET', '/users'); // a list is not a GET of the user
    expect((await get()).organizationRole).toBe(before.organizationRole);
    expect(stored(emu, ANN)).toEqual(before);
    const second = await get();
    expect(second.workspaceRoles).toEqual(before.workspaceRoles); // the read itself saw the old set
    expect(stored(emu, ANN)).toEqual(set);
    expect(Date.parse((await get()).updatedAt ?? '')).toBeGreaterThan(Date.parse(second.updatedAt ?? ''));
  });

  it("replace a team's set after its roles POST met an injected 429 (the race with a retry), once; a token's fault is not counted", async () => {
    const emu = await start({ state: subjectsState() });
    const path = `/teams/${DATA}/roles`;
    const body = { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_OWNER' }] };
    emu.fault({ kind: 'foreignWrite', on: 'rejectedWrite', teamId: DATA, set });
    emu.fault({ kind: 'status', status: 429, times: 1, method: 'POST', path: `/tokens/${TOK_WS}/roles` });
    emu.fault({ kind: 'status', status: 429, times: 1, method: 'POST', path });
    expect((await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles: newRoles } })).status).toBe(429);
    expect((await call<Team>(emu, 'GET', `/teams/${DATA}`)).status).toBe(200);
    expect(stored(emu, DATA)).not.toEqual(set); // neither a read nor another subject's rejected write fires it
    expect((await call(emu, 'POST', path, { body })).status).toBe(429);
    expect(stored(emu, DATA)).toEqual(set);
    expect((await call(emu, 'POST', path, { body })).status).toBe(200); // the retry overwrites: the client must not send it
    expect(stored(emu, DATA).workspaceRoles).toEqual(body.workspaceRoles);
  });
});

describe('modes for the client tests (issue 10)', () => {
  it('foreignWrite on a rejected write fires after the injected 429, and on a write after the answered POST', async () => {
    const emu = await start();
    const foreign: ApiTokenRole[] = [wsMember];
    emu.fault({ kind: 'status', status: 429, times: 1, method: 'POST', path: rolesPath });
    emu.fault({ kind: 'foreignWrite', on: 'rejectedWrite', tokenId: TOK_WS, roles: foreign });
    expect((await call(emu, 'GET', `/tokens/${TOK_WS}`)).status).toBe(200);
    expect(storedRoles(emu)).toEqual(original); // a read does not trigger it
    expect((await call(emu, 'POST', rolesPath, { body: { roles: newRoles } })).status).toBe(429);
    expect(storedRoles(emu)).toEqual(foreign);
    emu.fault({ kind: 'foreignWrite', on: 'write', tokenId: TOK_WS, roles: original });
    expect((await call(emu, 'POST', rolesPath, { body: { roles: newRoles } })).status).toBe(200);
    expect(storedRoles(emu)).toEqual(original);
  });

  it('rolesAnswer empty answers {} and still writes; omitTokenRoles serves the token without roles', async () => {
    const emu = await start({ rolesAnswer: 'empty', omitTokenRoles: [TOK_WS] });
    const posted = await call(emu, 'POST', rolesPath, { body: { roles: newRoles } });
    expect(posted.json).toEqual({});
    expect(storedRoles(emu)).toEqual(newRoles);
    const got = await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`);
    expect(got.json).not.toHaveProperty('roles');
    const listed = await call<{ tokens: ApiToken[] }>(emu, 'GET', '/tokens?limit=1000');
    expect(listed.json.tokens.find((t) => t.id === TOK_WS)).not.toHaveProperty('roles');
    expect(listed.json.tokens.filter((t) => t.id !== TOK_WS).every((t) => t.roles !== undefined)).toBe(true);
  });

  it('listQuirks: an overstated totalCount, an ignored offset, a growing totalCount', async () => {
    const total = (await call<{ totalCount: number }>(await start(), 'GET', '/tokens')).json.totalCount;
    const over = await start({ listQuirks: { overstateTotal: 2 } });
    expect((await call<{ totalCount: number }>(over, 'GET', '/tokens')).json.totalCount).toBe(total + 2);
    const same = await start({ listQuirks: { ignoreOffset: true } });
    const p1 = await call<{ tokens: ApiToken[] }>(same, 'GET', '/tokens?limit=1&offset=0');
    const p2 = await call<{ tokens: ApiToken[] }>(same, 'GET', '/tokens?limit=1&offset=1');
    expect(p2.json.tokens).toEqual(p1.json.tokens);
    const grow = await start({ listQuirks: { growingTotal: true } });
    const a = (await call<{ totalCount: number }>(grow, 'GET', '/tokens?limit=2&offset=0')).json.totalCount;
    const b = (await call<{ totalCount: number }>(grow, 'GET', '/tokens?limit=2&offset=2')).json.totalCount;
    expect(b).toBeGreaterThan(a);
  });
});
