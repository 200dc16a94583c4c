import { afterEach, describe, expect, it } from 'vitest';
import type { SubjectRoles, Team, TeamsPaginated, User, UsersPaginated } from '../../src/astro/types.ts';
import { EmulatorStateError, loadState } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { ANN, BOB, CY, DATA, DEP_A1, DEP_A2, DEP_B1, OPS, ORG, subjectsState, WS_A, WS_B } from '../support/emulator-states.ts';
import { expectSubjectShape } from './subject-shapes.ts';

// The users and teams endpoints (issue 16, point 7): lists with partial roles under workspaceId and
// deploymentId, GET, the roles POST replacing the whole set, and the Workspace Accessor side effect.

afterEach(closeAll);

const users = async (emu: Awaited<ReturnType<typeof start>>, query = ''): Promise<UsersPaginated> => {
  const r = await call<UsersPaginated>(emu, 'GET', `/users${query}`);
  expect(r.status).toBe(200);
  expectSubjectShape('UsersPaginated', r.json);
  return r.json;
};

describe('GET /users and /teams', () => {
  it('lists every user with every role when unfiltered, in createdAt order by default', async () => {
    const emu = await start({ state: subjectsState() });
    const list = await users(emu);
    expect(list.totalCount).toBe(3);
    expect(list.users.map((u) => u.id)).toEqual([CY, BOB, ANN]);
    const ann = list.users.find((u) => u.id === ANN);
    expect(ann?.workspaceRoles).toHaveLength(2);
    expect(ann?.deploymentRoles).toHaveLength(2);
    expect(ann?.dagRoles).toEqual([{ deploymentId: DEP_A1, dagId: 'etl', role: 'DAG_VIEWER' }]);
    expect(ann?.organizationRole).toBe('ORGANIZATION_MEMBER');
  });

  it('a workspaceId filter lists the members of that workspace with only that workspace role', async () => {
    const emu = await start({ state: subjectsState() });
    const list = await users(emu, `?workspaceId=${WS_B}`);
    expect(list.users.map((u) => u.id)).toEqual([ANN]);
    const [ann] = list.users;
    expect(ann?.workspaceRoles).toEqual([{ workspaceId: WS_B, role: 'WORKSPACE_OWNER' }]);
    expect(ann?.organizationRole).toBe('ORGANIZATION_MEMBER');
    expect(ann?.deploymentRoles).toBeUndefined();
    expect(ann?.dagRoles).toBeUndefined();
  });

  it('a deploymentId filter serves a partial role set: that deployment role only, no workspace or DAG roles', async () => {
    const emu = await start({ state: subjectsState() });
    const list = await users(emu, `?deploymentId=${DEP_A1}`);
    expect(list.users.map((u) => u.id)).toEqual([ANN]);
    const [ann] = list.users;
    expect(ann?.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }]);
    expect(ann?.workspaceRoles).toBeUndefined();
    expect(ann?.dagRoles).toBeUndefined();
    // The whole set is still there: a GET shows it.
    const full = await call<User>(emu, 'GET', `/users/${ANN}`);
    expect(full.json.deploymentRoles).toHaveLength(2);
    expect(full.json.workspaceRoles).toHaveLength(2);
  });

  it('both filters: subjects on both, with that workspace and that deployment role', async () => {
    const emu = await start({ state: subjectsState() });
    const both = await users(emu, `?workspaceId=${WS_A}&deploymentId=${DEP_A1}`);
    expect(both.users.map((u) => u.id)).toEqual([ANN]);
    expect(both.users[0]?.workspaceRoles).toEqual([{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }]);
    expect(both.users[0]?.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }]);
    const none = await users(emu, `?workspaceId=${WS_B}&deploymentId=${DEP_A2}`);
    expect(none.users).toEqual([]);
    expect(none.totalCount).toBe(0);
  });

  it('pages with offset and limit, counts every match, sorts by a field', async () => {
    const emu = await start({ state: subjectsState() });
    const first = await users(emu, '?limit=2&sorts=username:desc');
    expect(first).toMatchObject({ totalCount: 3, offset: 0, limit: 2 });
    const second = await users(emu, '?limit=2&offset=2&sorts=username:desc');
    expect([...first.users, ...second.users].map((u) => u.username)).toEqual(['cy@example.com', 'bob@example.com', 'ann@example.com']);
    // Only the documented sort keys: users sort by username, not by name; teams by name.
    const byName = await call(emu, 'GET', '/users?sorts=name:asc');
    expect(byName.status).toBe(400);
    expect(byName.json.fieldErrors?.[0]?.field).toBe('sorts');
    const teams = await call<TeamsPaginated>(emu, 'GET', '/teams?sorts=name:desc');
    expect(teams.json.teams.map((t) => t.name)).toEqual(['Ops', 'Data']);
  });

  it('refuses an unknown workspace or deployment (404) and a bad paging parameter (400)', async () => {
    const emu = await start({ state: subjectsState() });
    expect((await call(emu, 'GET', '/users?workspaceId=cnowhere0000000000000000a')).status).toBe(404);
    expect((await call(emu, 'GET', '/teams?deploymentId=cnowhere0000000000000000a')).status).toBe(404);
    const bad = await call(emu, 'GET', '/users?limit=-1');
    expect(bad.status).toBe(400);
    expect(bad.json.fieldErrors?.[0]?.field).toBe('limit');
  });

  it('teams: the deploymentId filter is partial too, names filters, rolesCount counts the whole set', async () => {
    const emu = await start({ state: subjectsState() });
    const all = await call<TeamsPaginated>(emu, 'GET', '/teams');
    expectSubjectShape('TeamsPaginated', all.json);
    expect(all.json.teams.map((t) => [t.name, t.rolesCount])).toEqual([['Data', 3], ['Ops', 1]]);
    const dep = await call<TeamsPaginated>(emu, 'GET', `/teams?deploymentId=${DEP_A2}`);
    expect(dep.json.teams.map((t) => t.id)).toEqual([DATA]);
    expect(dep.json.teams[0]?.workspaceRoles).toBeUndefined();
    expect(dep.json.teams[0]?.deploymentRoles).toEqual([{ deploymentId: DEP_A2, role: 'READER' }]);
    const named = await call<TeamsPaginated>(emu, 'GET', '/teams?names=Ops');
    expect(named.json.teams.map((t) => t.id)).toEqual([OPS]);
    expect(named.json.teams[0]?.isIdpManaged).toBe(true);
  });
});

describe('GET /users/{id} and /teams/{id}', () => {
  it('serves the whole subject, a null organizationRole as null, 404 for an unknown ID, 405 for DELETE', async () => {
    const emu = await start({ state: subjectsState() });
    const cy = await call<User>(emu, 'GET', `/users/${CY}`);
    expect(cy.status).toBe(200);
    expectSubjectShape('User', cy.json);
    expect(cy.json).toMatchObject({ status: 'PENDING', organizationRole: null, fullName: 'cy@example.com' });
    const team = await call<Team>(emu, 'GET', `/teams/${DATA}`);
    expectSubjectShape('Team', team.json);
    expect(team.json).toMatchObject({ organizationId: ORG, organizationRole: 'ORGANIZATION_MEMBER', isIdpManaged: false });
    const missing = await call(emu, 'GET', '/users/cnobody00000000000000000a');
    expect(missing.status).toBe(404);
    expect(missing.json.message).toContain('user cnobody00000000000000000a not found');
    expect((await call(emu, 'DELETE', `/users/${ANN}`)).status).toBe(405);
    expect((await call(emu, 'GET', `/users/${ANN}/roles`)).status).toBe(405);
    expect((await call(emu, 'GET', `/teams/${DATA}/members`)).status).toBe(404);
  });
});

const post = (emu: Awaited<ReturnType<typeof start>>, kind: 'users' | 'teams', id: string, body: unknown) =>
  call<SubjectRoles & { message?: string; fieldErrors?: { field: string; code: string }[] }>(emu, 'POST', `/${kind}/${id}/roles`, { body });

describe('POST /users/{id}/roles and /teams/{id}/roles', () => {
  it('replaces the whole set: what the body leaves out is gone; answers the new set; bumps updatedAt', async () => {
    const emu = await start({ state: subjectsState() });
    const before = (await call<User>(emu, 'GET', `/users/${ANN}`)).json;
    const body = {
      organizationRole: 'ORGANIZATION_BILLING_ADMIN',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_OPERATOR' }],
      deploymentRoles: [{ deploymentId: DEP_A2, role: 'READER' }],
    };
    const r = await post(emu, 'users', ANN, body);
    expect(r.status).toBe(200);
    expectSubjectShape('SubjectRoles', r.json);
    expect(r.json).toEqual({ ...body, dagRoles: [] });
    const after = (await call<User>(emu, 'GET', `/users/${ANN}`)).json;
    expect(after).toMatchObject({ ...body, dagRoles: [] });
    expect(Date.parse(after.updatedAt ?? '')).toBeGreaterThan(Date.parse(before.updatedAt ?? ''));
    // Lists follow the write.
    expect((await users(emu, `?deploymentId=${DEP_A1}`)).users).toEqual([]);
    expect((await users(emu, `?deploymentId=${DEP_A2}`)).users.map((u) => u.id)).toEqual([ANN]);
  });

  it('requires organizationRole: 400 naming the field, nothing written', async () => {
    const emu = await start({ state: subjectsState() });
    for (const kind of ['users', 'teams'] as const) {
      const id = kind === 'users' ? ANN : DATA;
      const r = await post(emu, kind, id, { workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }] });
      expect(r.status).toBe(400);
      expect(r.json.fieldErrors).toContainEqual(expect.objectContaining({ field: 'organizationRole', code: 'REQUIRED' }));
    }
    expect(emu.state().users.find((u) => u.id === ANN)?.deploymentRoles).toHaveLength(2);
    expect(emu.state().teams.find((t) => t.id === DATA)?.deploymentRoles).toHaveLength(1);
  });

  it('an organization role alone empties every other list (absent or null lists)', async () => {
    const emu = await start({ state: subjectsState() });
    const r = await post(emu, 'teams', DATA, { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: null });
    expect(r.status).toBe(200);
    const team = (await call<Team>(emu, 'GET', `/teams/${DATA}`)).json;
    expect(team).toMatchObject({ workspaceRoles: [], deploymentRoles: [], dagRoles: [], rolesCount: 1 });
  });

  it('refuses a malformed body: a list that is not an array, an entry without its ID, a DAG role with both dagId and dagTag', async () => {
    const emu = await start({ state: subjectsState() });
    const cases: [unknown, string][] = [
      [[], ''],
      [{ organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: {} }, 'workspaceRoles'],
      [{ organizationRole: 'ORGANIZATION_MEMBER', deploymentRoles: [{ role: 'DEPLOYMENT_ADMIN' }] }, 'deploymentRoles[0].deploymentId'],
      [{ organizationRole: 'ORGANIZATION_MEMBER', dagRoles: [{ deploymentId: DEP_A1, role: 'DAG_VIEWER', dagId: 'a', dagTag: 'b' }] }, 'dagRoles[0]'],
    ];
    for (const [body, field] of cases) {
      const r = await post(emu, 'users', BOB, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.fieldErrors?.map((e) => e.field)).toContain(field);
    }
    expect(emu.state().users.find((u) => u.id === BOB)?.workspaceRoles).toEqual([{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }]);
  });

  it('validates entities and role names like the token roles POST, each rule switchable', async () => {
    const emu = await start({ state: subjectsState() });
    const cases: [object, string, string][] = [
      [{ deploymentRoles: [{ deploymentId: 'cnowhere0000000000000000a', role: 'DEPLOYMENT_ADMIN' }] }, 'deploymentRoles[0].deploymentId', 'UNKNOWN_ENTITY'],
      [{ workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_KING' }] }, 'workspaceRoles[0].role', 'UNKNOWN_ROLE'],
      [{ workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }], deploymentRoles: [{ deploymentId: DEP_A1, role: 'B_ONLY' }] }, 'deploymentRoles[0].role', 'ROLE_NOT_ALLOWED_IN_WORKSPACE'],
      [{ workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }, { workspaceId: WS_A, role: 'WORKSPACE_OWNER' }] }, 'workspaceRoles[1].workspaceId', 'DUPLICATE_ENTITY'],
      [{
        workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }],
        deploymentRoles: [{ deploymentId: DEP_A1, role: 'READER' }],
        dagRoles: [{ deploymentId: DEP_A1, dagTag: 'pii', role: 'DAG_VIEWER' }, { deploymentId: DEP_A1, dagTag: 'pii', role: 'DAG_AUTHOR' }],
      }, 'dagRoles[1].dagTag', 'DUPLICATE_ENTITY'],
    ];
    for (const [extra, field, code] of cases) {
      const r = await post(emu, 'users', BOB, { organizationRole: 'ORGANIZATION_MEMBER', ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.json.fieldErrors).toContainEqual(expect.objectContaining({ field, code }));
    }
    const badOrg = await post(emu, 'users', BOB, { organizationRole: 'ORGANIZATION_EMPEROR' });
    expect(badOrg.json.fieldErrors).toContainEqual(expect.objectContaining({ field: 'organizationRole', code: 'UNKNOWN_ROLE' }));

    const lax = await start({ state: subjectsState(), validation: { unknownRole: false } });
    expect((await post(lax, 'users', BOB, { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_KING' }] })).status).toBe(200);
  });

  it('a DAG role needs a deployment role on its deployment (switchable)', async () => {
    const body = { organizationRole: 'ORGANIZATION_MEMBER', dagRoles: [{ deploymentId: DEP_A1, dagTag: 'finance', role: 'DAG_VIEWER' }] };
    const emu = await start({ state: subjectsState() });
    const r = await post(emu, 'teams', DATA, body);
    expect(r.status).toBe(400);
    expect(r.json.fieldErrors).toContainEqual(expect.objectContaining({ field: 'dagRoles[0].deploymentId', code: 'MISSING_DEPLOYMENT_ROLE' }));
    const ok = await post(emu, 'teams', DATA, { ...body, deploymentRoles: [{ deploymentId: DEP_A1, role: 'READER' }] });
    expect(ok.status).toBe(200);
    const lax = await start({ state: subjectsState(), subjects: { dagRoleNeedsDeploymentRole: false } });
    expect((await post(lax, 'teams', DATA, body)).status).toBe(200);
  });

  it('adds WORKSPACE_ACCESSOR where a deployment role comes without a role on its workspace', async () => {
    const emu = await start({ state: subjectsState() });
    const r = await post(emu, 'users', BOB, {
      organizationRole: 'ORGANIZATION_OWNER',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }],
      deploymentRoles: [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }, { deploymentId: DEP_B1, role: 'DEPLOYMENT_ADMIN' }],
    });
    expect(r.status).toBe(200);
    const expected = [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }, { workspaceId: WS_B, role: 'WORKSPACE_ACCESSOR' }];
    expect(r.json.workspaceRoles).toEqual(expected);
    expect((await call<User>(emu, 'GET', `/users/${BOB}`)).json.workspaceRoles).toEqual(expected);
    // The server-added role makes the user a member of that workspace in the lists.
    expect((await users(emu, `?workspaceId=${WS_B}`)).users.map((u) => u.id)).toContain(BOB);
    // Teams too, by default.
    const t = await post(emu, 'teams', OPS, { organizationRole: 'ORGANIZATION_OWNER', deploymentRoles: [{ deploymentId: DEP_A2, role: 'DEPLOYMENT_ADMIN' }] });
    expect(t.json.workspaceRoles).toEqual([{ workspaceId: WS_A, role: 'WORKSPACE_ACCESSOR' }]);
  });

  it('the Workspace Accessor side effect can be limited to users or switched off', async () => {
    const body = { organizationRole: 'ORGANIZATION_MEMBER', deploymentRoles: [{ deploymentId: DEP_B1, role: 'DEPLOYMENT_ADMIN' }] };
    const usersOnly = await start({ state: subjectsState(), subjects: { workspaceAccessor: ['users'] } });
    expect((await post(usersOnly, 'users', CY, body)).json.workspaceRoles).toEqual([{ workspaceId: WS_B, role: 'WORKSPACE_ACCESSOR' }]);
    expect((await post(usersOnly, 'teams', OPS, body)).json.workspaceRoles).toEqual([]);
    const off = await start({ state: subjectsState(), subjects: { workspaceAccessor: [] } });
    expect((await post(off, 'users', CY, body)).json.workspaceRoles).toEqual([]);
    expect((await call<User>(off, 'GET', `/users/${CY}`)).json.workspaceRoles).toEqual([]);
  });

  it('rolesAnswer empty answers {} but still writes', async () => {
    const emu = await start({ state: subjectsState(), rolesAnswer: 'empty' });
    const r = await post(emu, 'users', CY, { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }] });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await call<User>(emu, 'GET', `/users/${CY}`)).json).toMatchObject({ organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }] });
  });

  it('injected faults and the request log cover the subject routes: a 503 before the write writes nothing', async () => {
    const emu = await start({ state: subjectsState() });
    emu.fault({ kind: 'status', status: 503, times: 1, method: 'POST', path: '/users/*/roles' });
    const body = { organizationRole: 'ORGANIZATION_MEMBER' };
    expect((await post(emu, 'users', ANN, body)).status).toBe(503);
    expect(emu.state().users.find((u) => u.id === ANN)?.deploymentRoles).toHaveLength(2);
    expect((await post(emu, 'users', ANN, body)).status).toBe(200);
    expect(emu.state().users.find((u) => u.id === ANN)?.deploymentRoles).toEqual([]);
    expect(emu.log.filter((e) => e.path.endsWith(`/users/${ANN}/roles`)).map((e) => [e.status, e.fault])).toEqual([[503, 'status'], [200, undefined]]);
  });

  it('404 for an unknown subject, 405 for another method', async () => {
    const emu = await start({ state: subjectsState() });
    expect((await post(emu, 'teams', 'cnoteam00000000000000000a', { organizationRole: 'ORGANIZATION_MEMBER' })).status).toBe(404);
    expect((await call(emu, 'PUT', `/teams/${DATA}/roles`, { body: { organizationRole: 'ORGANIZATION_MEMBER' } })).status).toBe(405);
  });
});

describe('users and teams in the state', () => {
  it('refuses duplicate IDs and roles on unknown workspaces or deployments, listing each problem', () => {
    const s = subjectsState();
    s.users?.push({ id: ANN, username: 'again@example.com' });
    s.teams?.push({ id: 'cteamnew0000000000000000c', name: 'New', deploymentRoles: [{ deploymentId: 'cgone000000000000000000a0', role: 'DEPLOYMENT_ADMIN' }] });
    let err: unknown;
    try {
      loadState(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EmulatorStateError);
    expect((err as EmulatorStateError).problems).toEqual([
      `users[3]: duplicate id ${ANN}`,
      'teams[2].deploymentRoles[0]: unknown deployment cgone000000000000000000a0',
    ]);
  });

  it('refuses an unknown status by schema; a state without users or teams serves empty lists', async () => {
    const s = subjectsState();
    (s.users?.[0] as { status: string }).status = 'ASLEEP';
    expect(() => loadState(s)).toThrow(/status/);
    const emu = await start();
    expect((await users(emu)).users).toEqual([]);
    expect((await call<TeamsPaginated>(emu, 'GET', '/teams')).json).toMatchObject({ teams: [], totalCount: 0 });
  });

  it('state() and mutate() carry users and teams: a change made as another admin shows in GETs and lists', async () => {
    const emu = await start({ state: subjectsState() });
    expect((await users(emu, `?deploymentId=${DEP_A1}`)).users.map((u) => u.id)).toEqual([ANN]);
    emu.mutate((s) => {
      const ann = s.users.find((u) => u.id === ANN);
      if (ann === undefined) throw new Error('no Ann');
      ann.deploymentRoles = [];
      ann.dagRoles = [];
      s.teams = s.teams.filter((t) => t.id !== OPS);
    });
    expect((await users(emu, `?deploymentId=${DEP_A1}`)).users).toEqual([]);
    expect((await call<User>(emu, 'GET', `/users/${ANN}`)).json.deploymentRoles).toEqual([]);
    expect((await call(emu, 'GET', `/teams/${OPS}`)).status).toBe(404);
    expect(emu.state().teams.map((t) => t.id)).toEqual([DATA]);
  });
});
