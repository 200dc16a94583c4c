import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubjectRoles, TeamsPaginated, UsersPaginated } from '../../src/astro/types.ts';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { call, closeAll, EXAMPLE_STATE, expectApiShape, start } from './helpers.ts';
import { expectSubjectShape } from './subject-shapes.ts';

// The users and teams answers have the shapes src/emulator/README.md documents (User, Team, their
// paginated lists), for the example state, under every filter; the roles POST answers a SubjectRoles.
// The unfiltered lists, the GETs and the roles POST also pass the client's own checks (the *Answer $defs).

afterEach(closeAll);

const example = JSON.parse(readFileSync(EXAMPLE_STATE, 'utf8')) as EmulatorState;
const opts = { org: example.organization.id };

describe('users and teams answers have the documented shapes', () => {
  it('lists and gets every user and team of the example state, unfiltered and filtered', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const exampleUsers = example.users ?? [];
    const exampleTeams = example.teams ?? [];
    expect(exampleUsers.length).toBeGreaterThanOrEqual(2);
    expect(exampleTeams.length).toBeGreaterThanOrEqual(1);
    const u = await call<UsersPaginated>(emu, 'GET', '/users?limit=1000', opts);
    expectSubjectShape('UsersPaginated', u.json);
    expectApiShape('UsersAnswer', u.json); // and the client reads it
    expect(u.json.users.map((x) => x.id).sort()).toEqual(exampleUsers.map((x) => x.id).sort());
    const t = await call<TeamsPaginated>(emu, 'GET', '/teams?limit=1000', opts);
    expectSubjectShape('TeamsPaginated', t.json);
    expectApiShape('TeamsAnswer', t.json);
    expect(t.json.teams.map((x) => x.id).sort()).toEqual(exampleTeams.map((x) => x.id).sort());
    for (const x of exampleUsers) {
      const one = (await call(emu, 'GET', `/users/${x.id}`, opts)).json;
      expectSubjectShape('User', one);
      expectApiShape('UserAnswer', one);
    }
    for (const x of exampleTeams) {
      const one = (await call(emu, 'GET', `/teams/${x.id}`, opts)).json;
      expectSubjectShape('Team', one);
      expectApiShape('TeamAnswer', one);
    }
    for (const d of example.deployments) {
      expectSubjectShape('UsersPaginated', (await call(emu, 'GET', `/users?deploymentId=${d.id}`, opts)).json);
      expectSubjectShape('TeamsPaginated', (await call(emu, 'GET', `/teams?deploymentId=${d.id}&workspaceId=${d.workspaceId}`, opts)).json);
    }
    for (const w of example.workspaces) expectSubjectShape('UsersPaginated', (await call(emu, 'GET', `/users?workspaceId=${w.id}`, opts)).json);
  });

  it('the roles POST answers a SubjectRoles (the API schema) and its errors have the API error shape', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const [user] = example.users ?? [];
    const [dep] = example.deployments;
    if (user === undefined || dep === undefined) throw new Error('the example state needs a user and a deployment');
    const ok = await call<SubjectRoles>(emu, 'POST', `/users/${user.id}/roles`, {
      ...opts,
      body: { organizationRole: 'ORGANIZATION_MEMBER', deploymentRoles: [{ deploymentId: dep.id, role: 'DEPLOYMENT_ADMIN' }] },
    });
    expect(ok.status).toBe(200);
    expectApiShape('SubjectRoles', ok.json);
    expectSubjectShape('SubjectRoles', ok.json);
    expectApiShape('SubjectRolesAnswer', ok.json);
    const bad = await call(emu, 'POST', `/users/${user.id}/roles`, { ...opts, body: {} });
    expect(bad.status).toBe(400);
    expectApiShape('Error', bad.json);
  });
});
