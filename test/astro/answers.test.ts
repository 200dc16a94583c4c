import { describe, expect, it } from 'vitest';
import type { AstroClient } from '../../src/astro/client.ts';
import { emulatorClient, failure } from './emulator-fixtures.ts';
import { bigState, cuid, DEP_A1, ORG, WS_A } from '../support/emulator-states.ts';

// Every answer the client uses is checked against schemas/astro-api.schema.json at the boundary: a
// malformed one is an AstroApiError naming the method, path and request ID, never an empty list, never
// a TypeError. Fields the API may send as null are read as empty.

const TOKEN = 'astro_test_token_9c2f51e0d7a84b36';
const setup = emulatorClient(TOKEN, () => ({
  emulator: { state: bigState(4), token: TOKEN },
  client: { rateLimits: false, backoff: { baseMs: 1, maxMs: 5 }, maxAttempts: 2 },
}));

const TOKEN_ID = cuid('t', 1);
const ROLE = [{ entityType: 'WORKSPACE' as const, entityId: WS_A, role: 'WORKSPACE_MEMBER' }];
// Faults answer before anything is handled: these subjects need not exist in the state.
const USER_ID = cuid('u', 1);
const TEAM_ID = cuid('g', 1);
const SUBJECT_ROLES = { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }] };

/** Each endpoint the client reads: how to call it, its path, and a well-formed answer with one bad item. */
const endpoints: { name: string; method: string; path: string; call: (c: AstroClient) => Promise<unknown>; key?: string; item?: object }[] = [
  { name: 'list tokens', method: 'GET', path: `/organizations/${ORG}/tokens`, call: (c) => c.listTokens(), key: 'tokens', item: { name: 'x', scope: 'WORKSPACE' } },
  { name: 'get token', method: 'GET', path: `/organizations/${ORG}/tokens/${TOKEN_ID}`, call: (c) => c.getToken(TOKEN_ID) },
  { name: 'list deployments', method: 'GET', path: `/organizations/${ORG}/deployments`, call: (c) => c.listDeployments(), key: 'deployments', item: { name: 'x', workspaceId: WS_A } },
  { name: 'list workspaces', method: 'GET', path: `/organizations/${ORG}/workspaces`, call: (c) => c.listWorkspaces(), key: 'workspaces', item: { name: 'x' } },
  { name: 'list roles', method: 'GET', path: `/organizations/${ORG}/roles`, call: (c) => c.listDeploymentRoles(), key: 'roles', item: { name: 'x', scopeType: 'DEPLOYMENT' } },
  { name: 'replace roles', method: 'POST', path: `/organizations/${ORG}/tokens/${TOKEN_ID}/roles`, call: (c) => c.replaceTokenRoles(TOKEN_ID, ROLE) },
  { name: 'list users', method: 'GET', path: `/organizations/${ORG}/users`, call: (c) => c.listUsers(), key: 'users', item: { username: 'x@example.com', status: 'ACTIVE' } },
  { name: 'get user', method: 'GET', path: `/organizations/${ORG}/users/${USER_ID}`, call: (c) => c.getUser(USER_ID) },
  { name: 'update user roles', method: 'POST', path: `/organizations/${ORG}/users/${USER_ID}/roles`, call: (c) => c.updateUserRoles(USER_ID, SUBJECT_ROLES) },
  { name: 'list teams', method: 'GET', path: `/organizations/${ORG}/teams`, call: (c) => c.listTeams(), key: 'teams', item: { name: 'x', organizationRole: 'ORGANIZATION_MEMBER', isIdpManaged: false } },
  { name: 'get team', method: 'GET', path: `/organizations/${ORG}/teams/${TEAM_ID}`, call: (c) => c.getTeam(TEAM_ID) },
  { name: 'update team roles', method: 'POST', path: `/organizations/${ORG}/teams/${TEAM_ID}/roles`, call: (c) => c.updateTeamRoles(TEAM_ID, SUBJECT_ROLES) },
];

function bodies(e: (typeof endpoints)[number]): [string, string][] {
  const out: [string, string][] = [
    ['an array', '[]'],
    ['a string', '"ok"'],
    ['not JSON', '<html><body>502 Bad Gateway</body></html>'],
  ];
  // The roles POST may answer null or {} (it shows nothing; the executor re-reads); every other answer may not.
  if (e.method === 'GET') out.push(['null', 'null'], ['{}', '{}']);
  if (e.key !== undefined && e.item !== undefined) {
    out.push(
      ['an item without id', JSON.stringify({ [e.key]: [e.item], totalCount: 1, offset: 0, limit: 1000 })],
      ['a null item', JSON.stringify({ [e.key]: [null], totalCount: 1, offset: 0, limit: 1000 })],
      ['a list that is an object', JSON.stringify({ [e.key]: { id: 'x' }, totalCount: 1, offset: 0, limit: 1000 })],
      // IDs go into URL paths and messages: '..' or a newline must never get that far.
      ['an item whose id is ".."', JSON.stringify({ [e.key]: [{ ...e.item, id: '..' }], totalCount: 1, offset: 0, limit: 1000 })],
      ['an item whose id holds a newline', JSON.stringify({ [e.key]: [{ ...e.item, id: 'cabc\n::error::x' }], totalCount: 1, offset: 0, limit: 1000 })],
    );
  }
  if (e.name === 'list tokens') {
    out.push(['roles: [null]', JSON.stringify({ tokens: [{ id: TOKEN_ID, name: 'x', scope: 'WORKSPACE', roles: [null] }], totalCount: 1 })]);
  }
  if (e.name === 'get token') {
    out.push(['an item without id', JSON.stringify({ name: 'x', scope: 'WORKSPACE' })], ['roles: [null]', JSON.stringify({ id: TOKEN_ID, name: 'x', scope: 'WORKSPACE', roles: [null] })]);
  }
  if (e.method === 'POST') out.push(['deploymentRoles: [null]', JSON.stringify({ deploymentRoles: [null] })]);
  if (e.name === 'update user roles' || e.name === 'update team roles') {
    out.push(
      ['a workspaceId of ".."', JSON.stringify({ workspaceRoles: [{ workspaceId: '..', role: 'WORKSPACE_MEMBER' }] })],
      ['an organizationRole that is a number', JSON.stringify({ organizationRole: 1 })],
    );
  }
  const user = { id: USER_ID, username: 'x@example.com', status: 'ACTIVE' };
  const team = { id: TEAM_ID, name: 'x', organizationRole: 'ORGANIZATION_MEMBER', isIdpManaged: false };
  const list = (key: string, item: object): string => JSON.stringify({ [key]: [item], totalCount: 1, offset: 0, limit: 1000 });
  const subjectCases = (one: object, wrap: (item: object) => string): [string, string][] => [
    ['workspaceRoles: [null]', wrap({ ...one, workspaceRoles: [null] })],
    ['a deployment role without a role', wrap({ ...one, deploymentRoles: [{ deploymentId: DEP_A1 }] })],
    ['a deploymentId holding a newline', wrap({ ...one, deploymentRoles: [{ deploymentId: 'cdep\n::error::x', role: 'DEPLOYMENT_ADMIN' }] })],
    ['dagRoles that is an object', wrap({ ...one, dagRoles: { deploymentId: DEP_A1 } })],
  ];
  if (e.name === 'list users') out.push(['a user without username', list('users', { id: USER_ID, status: 'ACTIVE' })], ...subjectCases(user, (u) => list('users', u)));
  if (e.name === 'get user') {
    out.push(['an item without id', JSON.stringify({ username: 'x@example.com', status: 'ACTIVE' })], ['a user without status', JSON.stringify({ id: USER_ID, username: 'x' })]);
    out.push(['an organizationRole that is a number', JSON.stringify({ ...user, organizationRole: 7 })], ...subjectCases(user, (u) => JSON.stringify(u)));
  }
  if (e.name === 'list teams') out.push(['a team without organizationRole', list('teams', { id: TEAM_ID, name: 'x', isIdpManaged: false })], ...subjectCases(team, (t) => list('teams', t)));
  if (e.name === 'get team') {
    out.push(['an item without id', JSON.stringify({ name: 'x', organizationRole: 'ORGANIZATION_MEMBER', isIdpManaged: false })]);
    out.push(['a null organizationRole', JSON.stringify({ ...team, organizationRole: null })], ...subjectCases(team, (t) => JSON.stringify(t)));
  }
  return out;
}

describe.each(endpoints)('a malformed 200 answer to $name', (e) => {
  it.each(bodies(e))('%s is an error naming the method, path and request ID', async (_what, body) => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 200, times: 2, method: e.method, path: new RegExp(`${e.path}$`), body });
    const err = await failure(e.call(c));
    expect(err.message).toContain(`Astro API ${e.method} ${e.path} failed: 200 answer`);
    expect(err.message).toMatch(/request ID emu-[0-9a-z]+/);
    expect(err.message).not.toMatch(/TypeError|Cannot read|undefined/);
    expect(err.requestId).toMatch(/^emu-/);
  });
});

describe('null where the API may send it is read as empty', () => {
  it('reads tokens, roles, restrictedWorkspaceIds and workspaces sent as null lists', async () => {
    const state = bigState(4);
    state.roles = [{ id: cuid('r', 1), name: 'DAG_VIEWER', scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [] }];
    const first = state.tokens[0];
    if (first !== undefined) first.roles = [];
    const { emu, c } = await setup({ state, nullLists: true });
    const roles = await c.listDeploymentRoles();
    expect(roles.roles.map((r) => [r.name, r.restrictedWorkspaceIds])).toEqual([['DAG_VIEWER', []]]);
    const tokens = await c.listTokens();
    expect(tokens).toHaveLength(4);
    expect(tokens.find((t) => t.id === first?.id)?.roles).toEqual([]);
    expect(await c.listDeployments({ workspaceIds: [cuid('none', 1)] })).toEqual([]);
    const raw = await fetch(`${emu.url}/organizations/${ORG}/roles?scopeTypes=DEPLOYMENT`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await raw.text()).toContain('"restrictedWorkspaceIds":null');
  });

  it('accepts a roles POST answer of null, {} or null fields as showing nothing', async () => {
    for (const body of ['null', '{}', '{"organizationRole":null,"workspaceRoles":null,"deploymentRoles":null,"dagRoles":null}']) {
      const { emu, c } = await setup();
      emu.fault({ kind: 'status', status: 200, times: 3, method: 'POST', body });
      const { result } = await c.replaceTokenRoles(TOKEN_ID, ROLE);
      expect(result.deploymentRoles ?? []).toEqual([]);
      expect((await c.updateUserRoles(USER_ID, SUBJECT_ROLES)).result).toEqual({});
      expect((await c.updateTeamRoles(TEAM_ID, SUBJECT_ROLES)).result).toEqual({});
    }
  });

  it('shows an empty requestId in an error body as absent, using the header instead', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 404, times: 1, body: JSON.stringify({ message: 'nope', requestId: '', statusCode: 404 }) });
    const err = await failure(c.getToken(DEP_A1));
    expect(err.message).not.toContain('request ID ;');
    expect(err.message).toMatch(/request ID emu-/);
  });
});
