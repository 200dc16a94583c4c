import { describe, expect, it } from 'vitest';
import { bashComplete } from '../support/bash-complete.ts';
import { emulatorPerTest, runMain } from '../support/in-process.ts';

// Issue 16 point 6: `list --kind tokens|users|teams|all` with the astro CLI's columns, JSON per kind,
// users and teams read from the organization-wide lists, every value escaped.

const ORG = 'clx42kkcm01fo01o06agtmshg';
const SANDBOX = 'c6yyp01uwfa475kqahw0yamn3';
const JANE = 'cnuuiqes0qgfe0ijl9j1eg191';
const DATA_ENG = 'c2pkuw4ek65y7f0p273p9gfb0';

const emulator = emulatorPerTest();
const setup = async (): Promise<NodeJS.ProcessEnv> => ({ ...(await emulator.start()), ASTRO_ORGANIZATION_ID: ORG });
const list = (env: NodeJS.ProcessEnv, ...args: string[]) => runMain(['list', '--deployment', 'prod', ...args], { env });
/** The requests of the run so far, by path tail: `/users`, `/teams`, `/tokens`. */
const requested = (tail: string) => emulator.current().log.filter((e) => e.method === 'GET' && e.path.endsWith(tail));

/** Control, bidi and zero-width characters a terminal would act on. */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

describe('list --kind users', () => {
  it("prints the astro CLI's columns for the users holding a role on the deployment", async () => {
    const env = await setup();
    const r = await list(env, '--kind', 'users');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^FULLNAME {2,}EMAIL {2,}ID {2,}DEPLOYMENT ROLE {2,}CREATE DATE$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.split(/ {2,}/)).toEqual(['Jane Doe', 'jane.doe@example.com', JANE, 'DEPLOYMENT_ADMIN', '2026-02-03T09:00:00Z']);
  });

  it('reads users from the organization-wide list, never one filtered by deployment or workspace, and no tokens', async () => {
    const env = await setup();
    expect((await list(env, '--kind', 'users')).code).toBe(0);
    const reads = requested('/users');
    expect(reads.length).toBeGreaterThan(0);
    for (const e of reads) expect(Object.keys(e.query).filter((k) => k === 'deploymentId' || k === 'workspaceId')).toEqual([]);
    expect(requested('/tokens')).toEqual([]);
    expect(requested('/teams')).toEqual([]);
  });

  it('--format json gives each user with its role here, keys in a fixed order', async () => {
    const env = await setup();
    const r = await list(env, '--kind', 'users', '--format', 'json');
    expect(r.code).toBe(0);
    const users = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(users).toEqual([
      { id: JANE, email: 'jane.doe@example.com', fullName: 'Jane Doe', status: 'ACTIVE', deploymentRole: 'DEPLOYMENT_ADMIN', createdAt: '2026-02-03T09:00:00Z' },
    ]);
    expect(Object.keys(users[0]!)).toEqual(['id', 'email', 'fullName', 'status', 'deploymentRole', 'createdAt']);
  });
});

describe('list --kind teams', () => {
  it("prints the astro CLI's columns, ROLE being the team's role on this deployment", async () => {
    const env = await setup();
    const r = await list(env, '--kind', 'teams');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID {2,}ROLE {2,}NAME {2,}DESCRIPTION {2,}CREATE DATE$/);
    // Data Engineering is DAG_VIEWER on prod (and DEPLOYMENT_ADMIN on staging); Platform Admins holds nothing here.
    expect(rows.map((l) => l.split(/ {2,}/))).toEqual([[DATA_ENG, 'DAG_VIEWER', 'Data Engineering', 'Owns the ETL pipelines', '2026-01-15T12:00:00Z']]);
    expect(requested('/tokens')).toEqual([]);
    for (const e of requested('/teams')) expect(e.query['deploymentId']).toBeUndefined();
  });

  it('--format json: keys in a fixed order', async () => {
    const env = await setup();
    const r = await runMain(['list', '--deployment', 'staging', '--kind', 'teams', '--format', 'json'], { env });
    const teams = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(teams).toEqual([
      { id: DATA_ENG, name: 'Data Engineering', description: 'Owns the ETL pipelines', deploymentRole: 'DEPLOYMENT_ADMIN', isIdpManaged: false, createdAt: '2026-01-15T12:00:00Z' },
    ]);
    expect(Object.keys(teams[0]!)).toEqual(['id', 'name', 'description', 'deploymentRole', 'isIdpManaged', 'createdAt']);
  });
});

describe('list --kind all and the default', () => {
  it('the default is the seed\'s token table, unchanged, and reads neither users nor teams', async () => {
    const env = await setup();
    const r = await list(env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+DESCRIPTION\s+SCOPE\s+DEPLOYMENT ROLE\s+CREATED\s+CREATED BY$/);
    expect((await list(env, '--kind', 'tokens')).stdout).toBe(r.stdout);
    expect(requested('/users')).toEqual([]);
    expect(requested('/teams')).toEqual([]);
  });

  it('all prints the three tables, each under a heading with its count', async () => {
    const env = await setup();
    const r = await list(env, '--kind', 'all');
    expect(r.code).toBe(0);
    const sections = r.stdout.split('\n\n');
    expect(sections.map((s) => s.split('\n').slice(0, 2))).toEqual([
      ['API tokens (3)', expect.stringMatching(/^ID\s+NAME\s+DESCRIPTION/)],
      ['Users (1)', expect.stringMatching(/^FULLNAME\s+EMAIL/)],
      ['Teams (1)', expect.stringMatching(/^ID\s+ROLE\s+NAME/)],
    ]);
    // Each table is the one its own --kind prints.
    expect(sections[1]!.split('\n').slice(1).join('\n')).toBe((await list(env, '--kind', 'users')).stdout.trimEnd());
    expect(sections[2]!.split('\n').slice(1).join('\n')).toBe((await list(env, '--kind', 'teams')).stdout);
  });

  it('all --format json is {tokens, users, teams}, each as its own --kind gives it', async () => {
    const env = await setup();
    const all = JSON.parse((await list(env, '--kind', 'all', '--format', 'json')).stdout) as Record<string, unknown>;
    expect(Object.keys(all)).toEqual(['tokens', 'users', 'teams']);
    for (const kind of ['tokens', 'users', 'teams']) {
      expect(all[kind]).toEqual(JSON.parse((await list(env, '--kind', kind, '--format', 'json')).stdout));
    }
  });

  it('--all-scopes widens the token table of all and is refused where no tokens are listed', async () => {
    const env = await setup();
    const all = JSON.parse((await list(env, '--kind', 'all', '--all-scopes', '--format', 'json')).stdout) as { tokens: { name: string }[] };
    expect(all.tokens.map((t) => t.name)).toContain('prod-local');
    const refused = await list(env, '--kind', 'users', '--all-scopes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--all-scopes applies to tokens (--kind tokens or all), not to --kind users');
  });
});

describe('list --kind: usage', () => {
  it('an unknown kind lists the choices and the nearest, before any request', async () => {
    const env = await setup();
    const r = await list(env, '--kind', 'user');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: --kind must be one of tokens, users, teams, all, got "user"; did you mean "users"?\n');
    const escaped = await list(env, '--kind', 'tea\x1b[2Jms');
    expect(escaped.stderr).toContain('got "tea\\u001b[2Jms"');
    expect(emulator.current().log).toEqual([]);
  });

  it('--help shows examples with --kind', async () => {
    const r = await runMain(['list', '--help']);
    const examples = r.stdout.split('\nExamples:\n')[1] ?? '';
    for (const kind of ['users', 'teams', 'all']) expect(examples).toContain(`--kind ${kind}`);
    expect(r.stdout).toContain('--kind KIND            tokens, users, teams, all');
  });
});

describe('completion offers the kinds', () => {

  it('bash: after --kind of list and export, the kinds; elsewhere the flags still', async () => {
    const r = await runMain(['completion', 'bash']);
    expect(bashComplete(r.stdout, ['astro-access', 'list', '--kind', ''])).toEqual(['tokens', 'users', 'teams', 'all']);
    expect(bashComplete(r.stdout, ['astro-access', 'list', '--kind', 't'])).toEqual(['tokens', 'teams']);
    expect(bashComplete(r.stdout, ['astro-access', 'export', '--kind', 'u'])).toEqual(['users']);
    expect(bashComplete(r.stdout, ['astro-access', 'list', '--format', ''])).toEqual(['table', 'json']);
    expect(bashComplete(r.stdout, ['astro-access', 'list', '--ki'])).toEqual(['--kind']);
  });

  it('zsh and fish offer the kinds after --kind', async () => {
    const zsh = (await runMain(['completion', 'zsh'])).stdout;
    const fish = (await runMain(['completion', 'fish'])).stdout;
    expect(zsh).toMatch(/^ {4}list\) flags=\(.*--kind.*\); case \$\{words\[CURRENT-1\]\} in --kind\) compadd -- tokens users teams all; return ;;/m);
    expect(fish).toContain("complete -c astro-access -n '__fish_seen_subcommand_from list' -l kind -x -a 'tokens users teams all'\n");
    expect(fish).toContain("complete -c astro-access -n '__fish_seen_subcommand_from export' -l kind -x -a 'tokens users teams all'\n");
  });
});

describe('hostile users and teams', () => {
  const EVIL = {
    fullName: 'Mallory\x1b]0;pwned\x07\r\nFAKE row',
    email: 'mal\u202eory\x1b[2J@example.com',
    team: 'Ops\u2066\n::error ::x\u2069',
    description: 'desc\x9b2J\u200b\x00\x7f',
  };

  it('every value is shown escaped in the tables and in JSON, never raw', async () => {
    const env = await setup();
    emulator.current().mutate((s) => {
      s.users.push({
        id: 'cmalloryaaaaaaaaaaaaaaaaa', username: EVIL.email, fullName: EVIL.fullName, avatarUrl: '', status: 'ACTIVE',
        organizationRole: 'ORGANIZATION_MEMBER', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
        workspaceRoles: [], deploymentRoles: [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ADMIN' }], dagRoles: [],
      });
      s.teams.push({
        id: 'copsaaaaaaaaaaaaaaaaaaaaa', name: EVIL.team, description: EVIL.description, isIdpManaged: false, organizationId: ORG,
        organizationRole: 'ORGANIZATION_MEMBER', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
        workspaceRoles: [], deploymentRoles: [{ deploymentId: SANDBOX, role: 'DEPLOYMENT_ACCESSOR' }], dagRoles: [],
      });
    });
    const table = await runMain(['list', '--deployment', 'sandbox', '--kind', 'all'], { env });
    const json = await runMain(['list', '--deployment', 'sandbox', '--kind', 'all', '--format', 'json'], { env });
    for (const r of [table, json]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW_UNSAFE);
      for (const line of r.stdout.split('\n')) expect(line).not.toMatch(/^(FAKE|::error)/);
    }
    expect(table.stdout).toContain('Mallory\\x1b]0;pwned\\x07\\x0d\\x0aFAKE row');
    expect(table.stdout).toContain('mal\\u202eory\\x1b[2J@example.com');
    expect(table.stdout).toContain('Ops\\u2066\\x0a::error ::x\\u2069');
    expect(table.stdout).toContain('desc\\x9b2J\\u200b\\x00\\x7f');
    // JSON keeps the values, escaped as JSON: parsed back they are exactly the API's.
    const parsed = JSON.parse(json.stdout) as { users: { email: string; fullName: string }[]; teams: { name: string; description: string }[] };
    expect(parsed.users).toEqual([expect.objectContaining({ email: EVIL.email, fullName: EVIL.fullName })]);
    expect(parsed.teams).toEqual([expect.objectContaining({ name: EVIL.team, description: EVIL.description })]);
  });
});
