import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAstroClient, readOnly } from '../../src/astro/client.ts';
import type { AstroClient } from '../../src/astro/client.ts';
import type { UpdateSubjectRolesRequest } from '../../src/astro/types.ts';
import { emulatorClient, failure } from './emulator-fixtures.ts';
import { ANN, BOB, CY, cuid, DATA, DEP_A1, DEP_A2, DEP_B1, manySubjects, OPS, ORG, subjectsState, WS_A, WS_B } from '../support/emulator-states.ts';

// Users and teams through the client, against the emulator over HTTP: the organization-wide lists read
// to the end and checked like the token lists, GETs, and the roles POST that replaces a whole set.

const TOKEN = 'astro_test_token_subjects_4be1c07a9d';
const setup = emulatorClient(TOKEN, () => ({
  emulator: { state: subjectsState(), token: TOKEN },
  client: { rateLimits: false, backoff: { baseMs: 1, maxMs: 5 }, maxAttempts: 2 },
}));

const USERS = `/organizations/${ORG}/users`;
const TEAMS = `/organizations/${ORG}/teams`;
const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();

describe('listUsers and listTeams', () => {
  it('read every user and team organization-wide, unfiltered, with the whole role set', async () => {
    const { emu, c } = await setup();
    const users = await c.listUsers();
    expect(ids(users)).toEqual([ANN, BOB, CY].sort());
    const ann = users.find((u) => u.id === ANN);
    expect(ann?.username).toBe('ann@example.com');
    expect(ann?.organizationRole).toBe('ORGANIZATION_MEMBER');
    expect(ann?.workspaceRoles).toEqual([{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }, { workspaceId: WS_B, role: 'WORKSPACE_OWNER' }]);
    expect(ann?.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }, { deploymentId: DEP_B1, role: 'B_ONLY' }]);
    expect(ann?.dagRoles).toEqual([{ deploymentId: DEP_A1, dagId: 'etl', role: 'DAG_VIEWER' }]);
    const teams = await c.listTeams();
    expect(ids(teams)).toEqual([DATA, OPS].sort());
    const ops = teams.find((t) => t.id === OPS);
    expect(ops).toMatchObject({ name: 'Ops', isIdpManaged: true, organizationRole: 'ORGANIZATION_OWNER', workspaceRoles: [], deploymentRoles: [], dagRoles: [] });
    expect(teams.find((t) => t.id === DATA)?.deploymentRoles).toEqual([{ deploymentId: DEP_A2, role: 'READER' }]);
    // No filter ever: a filtered list carries part of the roles only.
    expect(emu.log.map((e) => [e.path, e.query])).toEqual([
      [`/v1${USERS}`, { offset: '0', limit: '1000' }],
      [`/v1${TEAMS}`, { offset: '0', limit: '1000' }],
    ]);
  });

  it('read every page exactly once: 2,503 users and 1,202 teams in pages of 500', async () => {
    const { emu, c } = await setup({ state: manySubjects(2500, 1200) }, { pageSize: 500 });
    const [users, teams] = await Promise.all([c.listUsers(), c.listTeams()]);
    expect(users).toHaveLength(2503);
    expect(new Set(users.map((u) => u.id)).size).toBe(2503);
    expect(teams).toHaveLength(1202);
    const offsets = (path: string): string[] => emu.log.filter((e) => e.path === `/v1${path}`).map((e) => String(e.query['offset']));
    expect(offsets(USERS)).toEqual(['0', '500', '1000', '1500', '2000', '2500']);
    expect(offsets(TEAMS)).toEqual(['0', '500', '1000']);
    // Roles as stored, every kind: none, workspace and deployment, a DAG_TAG role.
    const byId = new Map(users.map((u) => [u.id, u]));
    expect(byId.get(cuid('u', 3))).toMatchObject({ workspaceRoles: [], deploymentRoles: [], dagRoles: [] });
    expect(byId.get(cuid('u', 10))?.dagRoles).toEqual([{ deploymentId: DEP_A1, dagTag: 'nightly', role: 'DAG_AUTHOR' }]);
    expect(byId.get(cuid('u', 10))?.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }]);
  });

  it.each([
    ['listUsers', USERS],
    ['listTeams', TEAMS],
  ] as const)('%s fails naming the list when totalCount claims more than is served', async (method, path) => {
    const { emu, c } = await setup({ listQuirks: { overstateTotal: 1 } });
    const err = await failure(c[method]());
    expect(err.message).toMatch(new RegExp(`^Astro API GET ${path}: read \\d distinct items, but totalCount is \\d \\(4 attempts\\)`));
    expect(err.path).toBe(path);
    expect(emu.log.filter((e) => e.path === `/v1${path}`)).toHaveLength(4 * 2); // each attempt: its page and the empty one after
  });

  it('fails on a list that keeps growing, within a bounded number of requests', async () => {
    const { emu, c } = await setup({ listQuirks: { growingTotal: true } });
    const err = await failure(c.listUsers());
    expect(err.message).toContain(`Astro API GET ${USERS}: the list kept changing while it was read (4 attempts)`);
    expect(emu.log).toHaveLength(8); // each attempt: two pages, the second with another totalCount
  });

  it('reads null lists as [] and a null organizationRole as null', async () => {
    const { emu, c } = await setup({ nullLists: true });
    const users = await c.listUsers();
    const cy = users.find((u) => u.id === CY);
    expect(cy).toMatchObject({ organizationRole: null, status: 'PENDING', workspaceRoles: [], deploymentRoles: [], dagRoles: [] });
    const ops = (await c.getTeam(OPS)).team;
    expect(ops).toMatchObject({ workspaceRoles: [], deploymentRoles: [], dagRoles: [] });
    const raw = await fetch(`${emu.url}${USERS}/${CY}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await raw.text();
    expect(text).toContain('"organizationRole":null');
    expect(text).toContain('"workspaceRoles":null');
  });

  it('reads an absent organizationRole and absent lists as null and []', async () => {
    const { emu, c } = await setup();
    const body = JSON.stringify({ id: CY, username: 'cy@example.com', status: 'ACTIVE' });
    emu.fault({ kind: 'status', status: 200, times: 1, method: 'GET', path: `users/${CY}`, body });
    const { user } = await c.getUser(CY);
    expect(user).toEqual({ id: CY, username: 'cy@example.com', status: 'ACTIVE', organizationRole: null, workspaceRoles: [], deploymentRoles: [], dagRoles: [] });
  });

  it('keeps names with control characters as data, byte for byte', async () => {
    const state = subjectsState();
    const email = 'eve@example.com\n::error::pwned';
    const fullName = '\u001b[31mEve\u0007\r\u202e';
    const teamName = 'ops\r\n\u0000\u001b]8;;http://x\u0007';
    state.users?.push({ id: cuid('eve', 1), username: email, fullName });
    state.teams?.push({ id: cuid('evil', 1), name: teamName, description: '\u0085line\u2028' });
    const { c } = await setup({ state });
    const eve = (await c.listUsers()).find((u) => u.id === cuid('eve', 1));
    expect(eve?.username).toBe(email);
    expect(eve?.fullName).toBe(fullName);
    const team = (await c.listTeams()).find((t) => t.id === cuid('evil', 1));
    expect(team?.name).toBe(teamName);
    expect(team?.description).toBe('\u0085line\u2028');
    expect((await c.getTeam(cuid('evil', 1))).team.name).toBe(teamName);
  });
});

describe('getUser and getTeam', () => {
  it('read one subject with the whole role set and the request ID', async () => {
    const { c } = await setup();
    const { user, requestId } = await c.getUser(ANN);
    expect(requestId).toMatch(/^emu-/);
    expect(user).toEqual((await c.listUsers()).find((u) => u.id === ANN));
    const { team } = await c.getTeam(DATA);
    expect(team).toMatchObject({ id: DATA, name: 'Data', organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }] });
  });

  it('name the method, path and request ID when the subject does not exist', async () => {
    const { c } = await setup();
    const missing = cuid('nobody', 1);
    const err = await failure(c.getUser(missing));
    expect(err.status).toBe(404);
    expect(err.message).toMatch(new RegExp(`^Astro API GET ${USERS}/${missing} failed: 404 Not Found: .*\\(request ID emu-[0-9a-z]+; 1 attempt\\)$`));
    expect((await failure(c.getTeam(missing))).path).toBe(`${TEAMS}/${missing}`);
  });
});

describe('updateUserRoles and updateTeamRoles', () => {
  it('replace a user\'s whole set; a GET shows it with the Workspace Accessor the server adds', async () => {
    const { emu, c } = await setup();
    const { result, requestId } = await c.updateUserRoles(BOB, {
      organizationRole: 'ORGANIZATION_OWNER',
      deploymentRoles: [{ deploymentId: DEP_B1, role: 'DEPLOYMENT_ADMIN' }],
    });
    expect(requestId).toMatch(/^emu-/);
    expect(result.organizationRole).toBe('ORGANIZATION_OWNER');
    // workspaceRoles was left out of the call: it is sent as [], so Bob's WS_A role is gone, as asked.
    expect((await c.getUser(BOB)).user).toMatchObject({
      organizationRole: 'ORGANIZATION_OWNER',
      workspaceRoles: [{ workspaceId: WS_B, role: 'WORKSPACE_ACCESSOR' }],
      deploymentRoles: [{ deploymentId: DEP_B1, role: 'DEPLOYMENT_ADMIN' }],
      dagRoles: [],
    });
    expect(emu.log.filter((e) => e.method === 'POST').map((e) => [e.path, e.status])).toEqual([[`/v1${USERS}/${BOB}/roles`, 200]]);
  });

  it('replace a team\'s whole set', async () => {
    const { c } = await setup();
    const body: UpdateSubjectRolesRequest = {
      organizationRole: 'ORGANIZATION_MEMBER',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }],
      deploymentRoles: [{ deploymentId: DEP_A1, role: 'READER' }],
      dagRoles: [{ deploymentId: DEP_A1, dagTag: 'nightly', role: 'DAG_VIEWER' }],
    };
    await c.updateTeamRoles(DATA, body);
    expect((await c.getTeam(DATA)).team).toMatchObject(body);
  });

  it('refuse to send a body without an organizationRole or with a broken entry, naming the request', async () => {
    const { emu, c } = await setup();
    const noRole = { workspaceRoles: [] } as unknown as UpdateSubjectRolesRequest;
    const err = await failure(c.updateUserRoles(CY, noRole));
    expect(err.message).toBe(`Astro API POST ${USERS}/${CY}/roles not sent: there is no organizationRole (the API requires one)`);
    const broken = {
      organizationRole: 'ORGANIZATION_MEMBER',
      deploymentRoles: [{ deploymentId: DEP_A1 }, null],
      dagRoles: [{ deploymentId: DEP_A1, role: 'DAG_VIEWER', dagId: 'a', dagTag: 'b' }],
    } as unknown as UpdateSubjectRolesRequest;
    const err2 = await failure(c.updateTeamRoles(DATA, broken));
    expect(err2.message).toBe(
      `Astro API POST ${TEAMS}/${DATA}/roles not sent: deploymentRoles[0] has no role; deploymentRoles[1] has no deploymentId or role; dagRoles[0] needs exactly one of dagId and dagTag`,
    );
    expect(emu.log.filter((e) => e.method === 'POST')).toEqual([]);
  });

  it('name the method, path, request ID and field errors when the API refuses the write', async () => {
    const { c } = await setup();
    const err = await failure(c.updateUserRoles(ANN, { organizationRole: 'ORGANIZATION_MEMBER', deploymentRoles: [{ deploymentId: DEP_A1, role: 'NO_SUCH_ROLE' }] }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(new RegExp(`^Astro API POST ${USERS}/${ANN}/roles failed: 400 Bad Request: .*request ID emu-[0-9a-z]+; 1 attempt`));
    expect(err.fieldErrors.map((f) => f.field)).toEqual(['deploymentRoles[0].role']);
  });

  it('retry a transient failure, sending what beforeRetry returns', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 503, times: 1, method: 'POST', path: `users/${ANN}/roles` });
    let asked = 0;
    const second: UpdateSubjectRolesRequest = { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_OWNER' }] };
    await c.updateUserRoles(ANN, { organizationRole: 'ORGANIZATION_MEMBER' }, {
      beforeRetry: async () => {
        asked++;
        return second;
      },
    });
    expect(asked).toBe(1);
    expect((await c.getUser(ANN)).user).toMatchObject({ workspaceRoles: second.workspaceRoles, deploymentRoles: [], dagRoles: [] });
  });

  it('the read-only view has no write method', async () => {
    const { c } = await setup();
    const reader = readOnly(c);
    // @ts-expect-error: AstroReader has no updateUserRoles
    expect(reader.updateUserRoles).toBeUndefined();
    // @ts-expect-error: AstroReader has no updateTeamRoles
    expect(reader.updateTeamRoles).toBeUndefined();
    expect(ids(await reader.listTeams())).toEqual([DATA, OPS].sort());
  });
});

describe('what a roles POST sends', () => {
  let client: AstroClient | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await client?.close();
    await close?.();
  });

  /** A server that records each request's method, path and JSON body and answers `answer`. */
  async function recorder(answer: string): Promise<{ url: string; seen: { method: string; path: string; body: unknown }[] }> {
    const seen: { method: string; path: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', path: req.url ?? '', body: JSON.parse(text) as unknown });
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-request-id', 'req-rec-1');
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
  }

  it('sends organizationRole, the three lists as arrays and each entry with its documented fields only', async () => {
    const { url, seen } = await recorder('{"organizationRole":null,"workspaceRoles":null,"deploymentRoles":null,"dagRoles":null}');
    client = createAstroClient({ baseUrl: url, token: TOKEN, organizationId: ORG, rateLimits: false });
    const loose = {
      organizationRole: 'ORGANIZATION_MEMBER',
      deploymentRoles: [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN', note: 'extra', dagId: 'x' }],
      dagRoles: [{ deploymentId: DEP_A1, role: 'DAG_VIEWER', dagTag: 'nightly', dagId: undefined }],
      rolesCount: 3,
    } as unknown as UpdateSubjectRolesRequest;
    const { result, requestId } = await client.updateTeamRoles(DATA, loose);
    expect(requestId).toBe('req-rec-1');
    expect(result).toEqual({}); // null fields read as absent: the answer shows nothing
    await client.updateUserRoles(CY, { organizationRole: 'ORGANIZATION_MEMBER' });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: `/v1${TEAMS}/${DATA}/roles`,
        body: {
          organizationRole: 'ORGANIZATION_MEMBER',
          workspaceRoles: [],
          deploymentRoles: [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }],
          dagRoles: [{ deploymentId: DEP_A1, role: 'DAG_VIEWER', dagTag: 'nightly' }],
        },
      },
      {
        method: 'POST',
        path: `/v1${USERS}/${CY}/roles`,
        body: { organizationRole: 'ORGANIZATION_MEMBER', workspaceRoles: [], deploymentRoles: [], dagRoles: [] },
      },
    ]);
  });

  it('accepts an answer of null or {} as showing nothing', async () => {
    for (const answer of ['null', '{}']) {
      const { url } = await recorder(answer);
      client = createAstroClient({ baseUrl: url, token: TOKEN, organizationId: ORG, rateLimits: false });
      expect((await client.updateUserRoles(CY, { organizationRole: 'ORGANIZATION_MEMBER' })).result).toEqual({});
      await client.close();
      await close?.();
      client = undefined;
      close = undefined;
    }
  });
});
