import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actual, ActualTeam, ActualUser } from '../../src/astro/actual.ts';
import { exportManifest } from '../../src/commands/export-manifest.ts';
import { loadManifestFiles, loadManifestSources } from '../../src/manifest/load.ts';
import type { NormalizedState } from '../../src/emulator/state.ts';
import { tempDir } from '../support/cli.ts';
import { emulatorPerTest, runMain } from '../support/in-process.ts';
import { declaredSubjectBindings, liveSubjectBindings } from '../support/subject-bindings.ts';

// Issue 16 point 6: export writes users (`user: <email>`) and teams (`team: <name>`, `teamId:` where the
// name is shared) under each deployment where any hold a role; --kind picks what is written; the output
// loads with the manifest loader as exactly the live bindings, and plan on it shows no changes.

const ORG = 'clx42kkcm01fo01o06agtmshg';
const PROD = 'clvduhrvd000008l842ohcpvb';
const SANDBOX = 'c6yyp01uwfa475kqahw0yamn3';
const STAGING = 'cyy9o2uhv61h2o0tp58mnoy2b';
const STAMP = '2026-01-01T00:00:00Z';

const emulator = emulatorPerTest();
const setup = async (): Promise<NodeJS.ProcessEnv> => ({ ...(await emulator.start()), ASTRO_ORGANIZATION_ID: ORG });
const requested = (tail: string) => emulator.current().log.filter((e) => e.method === 'GET' && e.path.endsWith(tail));

const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

function user(id: string, username: string, deploymentRoles: { deploymentId: string; role: string }[]): NormalizedState['users'][number] {
  return { id, username, fullName: username, avatarUrl: '', status: 'ACTIVE', organizationRole: 'ORGANIZATION_MEMBER', createdAt: STAMP, updatedAt: STAMP, workspaceRoles: [], deploymentRoles, dagRoles: [] };
}
function team(id: string, name: string, deploymentRoles: { deploymentId: string; role: string }[]): NormalizedState['teams'][number] {
  return { id, name, description: '', isIdpManaged: false, organizationId: ORG, organizationRole: 'ORGANIZATION_MEMBER', createdAt: STAMP, updatedAt: STAMP, workspaceRoles: [], deploymentRoles, dagRoles: [] };
}

/** Export to a file, load it with the manifest loader: no errors, and exactly the live user and team bindings. */
async function exportAndLoad(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const file = join(tempDir(), 'exported.yaml');
  const r = await runMain(['export', '-o', file, ...args], { env });
  expect(r.stderr).toBe(`Wrote ${file}.\n`);
  expect(r.code).toBe(0);
  const loaded = await loadManifestFiles([file]);
  expect(loaded.errors).toEqual([]);
  expect(declaredSubjectBindings(loaded.desired!, emulator.current().state())).toEqual(liveSubjectBindings(emulator.current().state()));
  return file;
}

describe('export: users and teams', () => {
  it('writes them under the deployments where they hold a role, beside the token lists', async () => {
    const env = await setup();
    const text = readFileSync(await exportAndLoad(env), 'utf8');
    expect(text).toContain(
      [
        '      - deployment: prod  # clvduhrvd000008l842ohcpvb',
        '        workspaceTokens:',
        '          - token: break-glass-admin  # cvwpq430y7uq5x8iy1qszlyaq',
        '            role: DEPLOYMENT_ADMIN',
        '          - token: ci-deployer  # clz9k2w1q000108mh3tq4a7vd',
        '            role: DEPLOYMENT_ADMIN',
        '          - token: legacy-bot  # c5xtcoiayo4vt3wrsftdorcif',
        '            role: DEPLOYMENT_ADMIN',
        '        organizationTokens: []',
        '        users:',
        '          - user: jane.doe@example.com  # cnuuiqes0qgfe0ijl9j1eg191',
        '            role: DEPLOYMENT_ADMIN',
        '        teams:',
        '          - team: Data Engineering  # c2pkuw4ek65y7f0p273p9gfb0',
        '            role: DAG_VIEWER',
        '      - deployment: sandbox  # c6yyp01uwfa475kqahw0yamn3',
        '        workspaceTokens:',
      ].join('\n'),
    );
    // The email as the API spells it; matching is case-insensitive, so it reads back as the one user.
    expect(text).toContain('          - user: Omar.Haddad@example.com  # cttiejngq5mvrxbi2i50xnfv9\n            role: ANALYTICS_OPERATOR\n');
    // Deployments where no user (team) holds a role do not list users (teams): they stay unmanaged there.
    expect(text.match(/^ {8}users:/gm)).toHaveLength(2);
    expect(text.match(/^ {8}teams:/gm)).toHaveLength(2);
    // Read from the organization-wide lists only.
    for (const e of [...requested('/users'), ...requested('/teams')]) {
      expect(e.query['deploymentId']).toBeUndefined();
      expect(e.query['workspaceId']).toBeUndefined();
    }
  });

  it('a team name shared by two teams is written as teamId, with the name in a comment', async () => {
    const env = await setup();
    emulator.current().mutate((s) => {
      s.teams.push(team('c2pkuw4ek65y7f0p273p9gfb1', 'Data Engineering', [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ADMIN' }]));
    });
    const text = readFileSync(await exportAndLoad(env), 'utf8');
    expect(text).toContain('          - teamId: c2pkuw4ek65y7f0p273p9gfb0  # Data Engineering (name shared by 2 teams)\n            role: DAG_VIEWER\n');
    expect(text).toContain('          - teamId: c2pkuw4ek65y7f0p273p9gfb1  # Data Engineering (name shared by 2 teams)\n            role: DEPLOYMENT_ADMIN\n');
    expect(text).not.toContain('team: Data Engineering');
  });

  it('two usernames equal but for case are written as userId: the manifest matches emails ignoring case', async () => {
    const env = await setup();
    emulator.current().mutate((s) => {
      s.users.push(user('cjanedoe2aaaaaaaaaaaaaaaa', 'Jane.Doe@Example.com', [{ deploymentId: STAGING, role: 'DEPLOYMENT_ADMIN' }]));
    });
    const text = readFileSync(await exportAndLoad(env), 'utf8');
    expect(text).toContain('          - userId: cnuuiqes0qgfe0ijl9j1eg191  # jane.doe@example.com (username shared by 2 users when compared ignoring case)\n');
    expect(text).toContain('          - userId: cjanedoe2aaaaaaaaaaaaaaaa  # Jane.Doe@Example.com (username shared by 2 users when compared ignoring case)\n');
  });

  it('hostile emails and team names are YAML-escaped, comments escaped, and read back as exactly those values', async () => {
    const env = await setup();
    const EMAIL = "mal\u202eory\x1b[2J\"#:'&x@example.com";
    const NOT_EMAIL = 'eve\n::error ::x@example.com'; // white space: the schema takes no such email, so by ID
    const TEAM = 'Ops\u2066\n::error ::x\u2069 #: "- [&x]\x00';
    emulator.current().mutate((s) => {
      s.users.push(user('cmalloryaaaaaaaaaaaaaaaaa', EMAIL, [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ADMIN' }]));
      s.users.push(user('cevebbbbbbbbbbbbbbbbbbbbb', NOT_EMAIL, [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ACCESSOR' }]));
      s.teams.push(team('copsaaaaaaaaaaaaaaaaaaaaa', TEAM, [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ACCESSOR' }]));
    });
    const file = await exportAndLoad(env);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(RAW_UNSAFE);
    for (const line of text.split('\n')) expect(line).not.toMatch(/^(FAKE|::error)/);
    expect(text).toContain('          - user: "mal\\u202eory\\u001b[2J\\"#:\'&x@example.com"  # cmalloryaaaaaaaaaaaaaaaaa\n');
    expect(text).toContain('          - userId: cevebbbbbbbbbbbbbbbbbbbbb  # eve\\x0a::error ::x@example.com (username not usable in a manifest)\n');
    expect(text).toContain('          - team: "Ops\\u2066\\n::error ::x\\u2069 #: \\"- [&x]\\u0000"  # copsaaaaaaaaaaaaaaaaaaaaa\n');
    const loaded = await loadManifestFiles([file]);
    const sandbox = loaded.desired!.deployments.find((d) => d.deployment.name === 'sandbox')!;
    expect(sandbox.users!.map((b) => b.subject.name ?? b.subject.id)).toEqual(['cevebbbbbbbbbbbbbbbbbbbbb', EMAIL]);
    expect(sandbox.teams!.map((b) => b.subject.name)).toEqual([TEAM]);
  });

  it('points out users that are not active and teams the identity provider manages, in comments', async () => {
    const env = await setup();
    emulator.current().mutate((s) => {
      const sam = s.users.find((u) => u.username === 'sam.lee@example.com')!;
      sam.deploymentRoles = [{ deploymentId: PROD, role: 'DEPLOYMENT_ACCESSOR' }];
      const admins = s.teams.find((t) => t.name === 'Platform Admins')!;
      admins.deploymentRoles = [{ deploymentId: PROD, role: 'DEPLOYMENT_ADMIN' }];
    });
    const text = readFileSync(await exportAndLoad(env), 'utf8');
    expect(text).toContain('          - user: sam.lee@example.com  # cjjktt4au0sv0u7t5v19epn2y (status PENDING)\n');
    expect(text).toContain('          - team: Platform Admins  # cfxf769hoq2ptttg231crgwo6 (managed by the identity provider)\n');
  });
});

describe('export --kind', () => {
  it('tokens writes what export wrote before users and teams, and reads neither', async () => {
    const env = await setup();
    const r = await runMain(['export', '--kind', 'tokens'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^ +(users|teams):/m);
    expect(r.stdout).toContain('        workspaceTokens:\n');
    expect(requested('/users')).toEqual([]);
    expect(requested('/teams')).toEqual([]);
    // Everything else is the default export's text, line for line.
    const all = await runMain(['export'], { env });
    const withoutSubjects = all.stdout.replace(/^ {8}(users|teams):\n(?: {10}- .*\n {12}role: .*\n)+/gm, '');
    expect(withoutSubjects).toBe(r.stdout);
  });

  it('users writes only users, teams only teams; the deployments are all still listed', async () => {
    const env = await setup();
    const users = await runMain(['export', '--kind', 'users'], { env });
    expect(users.code).toBe(0);
    expect(users.stdout).not.toMatch(/^ +(workspaceTokens|organizationTokens|teams):/m);
    expect(users.stdout.match(/^ {8}users:/gm)).toHaveLength(2);
    expect(users.stdout.match(/^ {6}- deployment:/gm)).toHaveLength(5);
    const teams = await runMain(['export', '--kind', 'teams'], { env });
    expect(teams.stdout).not.toMatch(/^ +(workspaceTokens|organizationTokens|users):/m);
    expect(teams.stdout.match(/^ {8}teams:/gm)).toHaveLength(2);
    const loaded = loadManifestSources([{ file: 'teams.yaml', text: teams.stdout }]);
    expect(loaded.errors).toEqual([]);
  });

  it('an unknown kind is refused with the choices, before any request', async () => {
    const env = await setup();
    const r = await runMain(['export', '--kind', 'team'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: --kind must be one of tokens, users, teams, all, got "team"; did you mean "teams"?\n');
    expect(emulator.current().log).toEqual([]);
  });

  it('by default, users the API token may not list (403) are left out with a warning; asked for, it is an error', async () => {
    const env = await setup();
    emulator.current().fault({ kind: 'status', status: 403, times: 1, method: 'GET', path: '/users' });
    const r = await runMain(['export'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: users were not exported: the API token may not list them (403)');
    expect(r.stdout).not.toMatch(/^ +users:/m);
    expect(r.stdout).toMatch(/^ +teams:/m);

    emulator.current().fault({ kind: 'status', status: 403, times: 1, method: 'GET', path: '/users' });
    const asked = await runMain(['export', '--kind', 'users'], { env });
    expect(asked.code).toBe(1);
    expect(asked.stdout).toBe('');
    expect(asked.stderr).toMatch(/^error: .*403/m);
  });
});

describe('export --like', () => {
  it('keeps users: [] and teams: [] where the manifest manages them and none hold a role now', async () => {
    const env = await setup();
    const like = join(tempDir(), 'like.yaml');
    writeFileSync(
      like,
      [
        `version: 1`,
        `organizationId: ${ORG}`,
        `workspaces:`,
        `  - workspace: Data Platform`,
        `    deployments:`,
        `      - deployment: sandbox`,
        `        users: []`,
        `        teams: []`,
      ].join('\n') + '\n',
    );
    const r = await runMain(['export', '--like', like], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/- deployment: sandbox {2}# \S+\n(?: {8,}\S.*\n)*? {8}users: \[\]\n {8}teams: \[\]\n/);
    expect(r.stdout.match(/^ {8}users: \[\]$/gm)).toHaveLength(1);
    expect(r.stdout.match(/^ {8}teams: \[\]$/gm)).toHaveLength(1);
  });
});

describe('export then plan', () => {
  it('plan on the exported manifest (tokens, users and teams) shows no changes', async () => {
    const env = await setup();
    emulator.current().mutate((s) => {
      s.teams.push(team('c2pkuw4ek65y7f0p273p9gfb1', 'Data Engineering', [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ADMIN' }]));
    });
    const file = await exportAndLoad(env);
    expect(readFileSync(file, 'utf8')).toMatch(/^ +- user: /m);
    const v = await runMain(['validate', '-f', file], { env });
    expect(v.code).toBe(0);
    const p = await runMain(['plan', '-f', file, '--detailed-exitcode'], { env });
    expect(p.stderr).not.toMatch(/error/i);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('No changes');
    // The plan read the users and teams the manifest manages: "no changes" covers them too.
    expect(p.stderr).toContain(', 3 users, 3 teams, ');
    expect(emulator.current().log.filter((e) => e.method === 'POST')).toEqual([]);
  });
});

describe('exportManifest: a subject with two roles on one deployment', () => {
  it('is refused: a manifest gives one role per subject and deployment', () => {
    const d = { id: PROD, name: 'prod', workspaceId: 'clvdwt4z3000008l60ofb6347', organizationId: ORG, status: 'HEALTHY', createdAt: STAMP, updatedAt: STAMP };
    const twice = [{ deploymentId: PROD, role: 'DEPLOYMENT_ADMIN' }, { deploymentId: PROD, role: 'DAG_VIEWER' }];
    const actual: Actual = {
      organizationId: ORG,
      workspaces: [{ id: d.workspaceId, name: 'Data Platform', organizationId: ORG, cicdEnforcedDefault: false, createdAt: STAMP, updatedAt: STAMP }],
      deployments: [d],
      tokens: [],
      roles: [],
      defaultRoles: [],
      users: [user('cnuuiqes0qgfe0ijl9j1eg191', 'jane\x1b@example.com', twice) as ActualUser],
      teams: [team('c2pkuw4ek65y7f0p273p9gfb0', 'Data Engineering', twice) as ActualTeam],
    };
    const { problems } = exportManifest(actual, { workspaces: [] });
    expect(problems).toEqual([
      'user jane\\x1b@example.com (cnuuiqes0qgfe0ijl9j1eg191) holds 2 roles on deployment prod (clvduhrvd000008l842ohcpvb); a manifest carries one',
      'team Data Engineering (c2pkuw4ek65y7f0p273p9gfb0) holds 2 roles on deployment prod (clvduhrvd000008l842ohcpvb); a manifest carries one',
    ]);
  });
});
