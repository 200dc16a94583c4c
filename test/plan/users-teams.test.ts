import { describe, expect, it } from 'vitest';
import { fingerprintRoleSet } from '../../src/plan/fingerprint.ts';
import { checkGuards } from '../../src/plan/guards.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { Actual } from '../../src/astro/actual.ts';
import { bind, dep, manifest, src, planOf, planErrors, smallOrg } from './builders.ts';

// Users and teams beside tokens: resolution, live bindings from deploymentRoles, prune per kind,
// ignore/protect, fingerprints of the whole role set, DAG orphans, and the subjects' own states.

const plan = planOf;

const errorsOf = planErrors;

const small = smallOrg;

const brief = (p: Plan): string[] =>
  p.actions.map((a) => `${a.action} ${a.deployment.name} ${a.subject.type} ${a.subject.name} ${a.before ?? '-'}>${a.after ?? '-'}`);

const opts = { maxRemovals: 50, selfTokenId: null, allowUnsafe: false };

describe('resolving users and teams', () => {
  it('folds only ASCII case: a username with a letter that lowers to ASCII (the Kelvin sign) is another account', () => {
    const { o, prod } = small();
    const lookalike = o.user('\u212Aate@example.com'); // shows as "Kate@example.com"
    const byEmail = (email: string) => manifest([dep('Data', 'prod', { users: [bind(email, 'DEPLOYMENT_ADMIN')] })]);
    expect(errorsOf(byEmail('kate@example.com'), o.actual).map((e) => e.message).join('\n')).toMatch(/not found/);
    const kate = o.user('kate@example.com');
    const p = plan(byEmail('KATE@example.com'), o.actual);
    expect(p.actions.map((a) => a.subject.id)).toEqual([kate.id]);
    expect(p.actions.map((a) => a.deployment.id)).toEqual([prod.id]);
    expect(p.actions.some((a) => a.subject.id === lookalike.id)).toBe(false);
  });

  it('matches a user by email case-insensitively and names the subject by its username as read', () => {
    const { o, prod } = small();
    const alice = o.user('alice.smith+ops@example.com');
    const b = bind('Alice.Smith+OPS@Example.COM', 'DEPLOYMENT_ADMIN');
    const p = plan(manifest([dep('Data', 'prod', { users: [b] })]), o.actual);
    expect(p.actions).toEqual([{
      action: 'add',
      deployment: { id: prod.id, name: 'prod', workspaceId: prod.workspaceId, workspaceName: 'Data' },
      subject: { type: 'user', id: alice.id, name: 'alice.smith+ops@example.com' },
      before: null, after: 'DEPLOYMENT_ADMIN', reason: 'declared in manifest', source: src(b),
    }]);
    expect(p.users).toEqual({ [alice.id]: { fingerprint: fingerprintRoleSet(alice) } });
    expect(p.tokens).toEqual({});
    expect(p.teams).toEqual({});
  });

  it('resolves users by userId and teams by exact name or teamId', () => {
    const { o } = small();
    const bob = o.user('bob@example.com');
    const eng = o.team('Data Engineers');
    const ops = o.team('Ops');
    const p = plan(manifest([dep('Data', 'prod', {
      users: [bind({ id: bob.id }, 'DAG_VIEWER')],
      teams: [bind('Data Engineers', 'DEPLOYMENT_ADMIN'), bind({ id: ops.id }, 'DAG_VIEWER')],
    })]), o.actual);
    expect(brief(p)).toEqual([
      'add prod user bob@example.com ->DAG_VIEWER',
      'add prod team Data Engineers ->DEPLOYMENT_ADMIN',
      'add prod team Ops ->DAG_VIEWER',
    ]);
    expect(Object.keys(p.teams).sort()).toEqual([eng.id, ops.id].sort());
  });

  it('reports an unknown user or team at the reference with near names (in line order), and a team name in another case as unknown', () => {
    const { o } = small();
    o.user('alice@example.com');
    o.team('Data Engineers');
    const u = bind('alcie@example.com', 'DAG_VIEWER');
    const t = bind('data engineers', 'DAG_VIEWER');
    const ids = [bind({ id: 'cnouser000000000000000000' }, 'DAG_VIEWER'), bind({ id: 'cnoteam000000000000000000' }, 'DAG_VIEWER')];
    const errs = errorsOf(manifest([dep('Data', 'prod', { users: [u, ids[0]!], teams: [t, ids[1]!] })]), o.actual);
    expect(errs.map((e) => [e.line, e.col, e.message])).toEqual([
      [u.subject.at.line, u.subject.at.col, 'users: user "alcie@example.com" not found in the organization; did you mean "alice@example.com"?'],
      [t.subject.at.line, t.subject.at.col, 'teams: team "data engineers" not found in the organization; did you mean "Data Engineers"?'],
      [ids[0]!.subject.at.line, ids[0]!.subject.at.col, 'users: user ID cnouser000000000000000000 not found in the organization'],
      [ids[1]!.subject.at.line, ids[1]!.subject.at.col, 'teams: team ID cnoteam000000000000000000 not found in the organization'],
    ]);
  });

  it('refuses a team name shared by several teams, listing their IDs and naming teamId', () => {
    const { o } = small();
    const a = o.team('Analysts');
    const b = o.team('Analysts');
    const entry = bind('Analysts', 'DAG_VIEWER');
    const errs = errorsOf(manifest([dep('Data', 'prod', { teams: [entry] })]), o.actual);
    expect(errs).toEqual([{
      file: entry.subject.at.file, line: entry.subject.at.line, col: entry.subject.at.col,
      message: `teams: 2 teams are named "Analysts": ${[a.id, b.id].sort().join(', ')}; write \`teamId:\` to pick one`,
    }]);
  });

  it('refuses an email two usernames share when compared case-insensitively, naming userId', () => {
    const { o } = small();
    const a = o.user('Pat@example.com');
    const b = o.user('pat@example.com');
    const errs = errorsOf(manifest([dep('Data', 'prod', { users: [bind('pat@example.com', 'DAG_VIEWER')] })]), o.actual);
    expect(errs.map((e) => e.message)).toEqual([
      `users: 2 users have the username "pat@example.com" when compared case-insensitively: ${[a.id, b.id].sort().join(', ')}; write \`userId:\` to pick one`,
    ]);
  });

  it('refuses the same user declared twice on a deployment, by email and by ID', () => {
    const { o } = small();
    const u = o.user('ana@example.com');
    const first = bind('ANA@example.com', 'DAG_VIEWER');
    const second = bind({ id: u.id }, 'DEPLOYMENT_ADMIN');
    const errs = errorsOf(manifest([dep('Data', 'prod', { users: [first, second] })]), o.actual);
    expect(errs.map((e) => [e.line, e.message])).toEqual([
      [second.subject.at.line, `user "ana@example.com" (${u.id}) is declared twice on this deployment (also at ${src(first)})`],
    ]);
  });

  it('checks user and team roles like token roles', () => {
    const { o } = small();
    o.user('ana@example.com');
    const b = bind('ana@example.com', 'DAG_VEIWER');
    const errs = errorsOf(manifest([dep('Data', 'prod', { users: [b] })]), o.actual);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ line: b.roleAt.line, col: b.roleAt.col });
    expect(errs[0]?.message).toMatch(/^unknown deployment role "DAG_VEIWER" \(did you mean "DAG_VIEWER"\?\)/);
  });

  it('says plainly when users or teams are declared but were not read into the live state', () => {
    const { o } = small();
    const d = dep('Data', 'prod', { users: [], teams: [bind('Ops', 'DAG_VIEWER')] });
    const errs = errorsOf(manifest([d, dep('Data', 'dev', { users: [] })]), o.actual);
    expect(errs).toEqual([
      { ...d.at, message: 'the manifest lists teams, but the live state given to the planner holds no teams (they were not read); this is a bug in astro-access, please report it' },
      { ...d.at, message: 'the manifest lists users, but the live state given to the planner holds no users (they were not read); this is a bug in astro-access, please report it' },
    ]);
  });
});

describe('planning users and teams', () => {
  it('updates, removes and keeps users per the manifest; prune is per kind', () => {
    const { o, ws, prod } = small();
    o.user('keep@example.com', [[prod, 'DAG_VIEWER']]);
    const change = o.user('change@example.com', [[prod, 'DAG_VIEWER']]);
    const gone = o.user('gone@example.com', [[prod, 'DEPLOYMENT_ADMIN']]);
    const team = o.team('Ops', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([dep('Data', 'prod', {
      users: [bind('keep@example.com', 'DAG_VIEWER'), bind('change@example.com', 'DEPLOYMENT_ADMIN')],
    })]), o.actual);
    expect(brief(p)).toEqual([
      'update prod user change@example.com DAG_VIEWER>DEPLOYMENT_ADMIN',
      'remove prod user gone@example.com DEPLOYMENT_ADMIN>-',
    ]);
    expect(p.actions[1]).toMatchObject({ reason: 'not declared and prune is on', source: null });
    expect(p.summary).toMatchObject({ unchanged: 1, unmanaged: 0 });
    expect(p.deployments[0]).toMatchObject({ managedKinds: ['user'], existing: 3, desired: 2, explicitEmpty: false });
    expect(Object.keys(p.users).sort()).toEqual([change.id, gone.id].sort());
    expect(p.teams).toEqual({});
    expect(p.actions.some((a) => a.subject.id === team.id)).toBe(false);
  });

  it('lists undeclared users and teams as unmanaged when prune is off', () => {
    const { o, prod } = small();
    const u = o.user('u@example.com', [[prod, 'DAG_VIEWER']]);
    const t = o.team('Ops', [[prod, 'DAG_VIEWER']]);
    const p = plan(manifest([dep('Data', 'prod', { prune: false, users: [], teams: [] })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged.map((b) => [b.subject, b.reason])).toEqual([
      [{ type: 'user', id: u.id, name: 'u@example.com' }, 'not declared and prune is off for this deployment'],
      [{ type: 'team', id: t.id, name: 'Ops' }, 'not declared and prune is off for this deployment'],
    ]);
    expect(p.deployments[0]).toMatchObject({ managedKinds: ['user', 'team'], existing: 2, desired: 2, explicitEmpty: true });
  });

  it('counts tokens, users and teams together for the guards', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.user('u@example.com', [[prod, 'DAG_VIEWER']]);
    o.team('Ops', [[prod, 'DAG_VIEWER']]);
    // Tokens emptied explicitly, users and teams not: the deployment is not explicitly empty.
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [], users: [], teams: [bind('Ops', 'DAG_VIEWER')] })]), o.actual);
    expect(p.deployments[0]).toMatchObject({ existing: 3, desired: 1, explicitEmpty: false });
    const emptied = plan(manifest([dep('Data', 'prod', { workspaceTokens: [], users: [], teams: [] })]), o.actual);
    expect(emptied.deployments[0]).toMatchObject({ existing: 3, desired: 0, explicitEmpty: true });
    expect(checkGuards(emptied, opts).violations).toEqual([]);
    const v = checkGuards({ ...emptied, deployments: [{ ...emptied.deployments[0]!, explicitEmpty: false }] }, opts).violations;
    expect(v).toEqual([expect.stringContaining('all 3 managed bindings would be removed')]);
  });

  it('ignores users by email glob case-insensitively and teams by name glob case-sensitively', () => {
    const { o, prod } = small();
    o.user('Vendor.Bob@Contractor.Example', [[prod, 'DAG_VIEWER']]);
    const team = o.team('vendor-team', [[prod, 'DAG_VIEWER']]);
    o.team('Vendor-Team', [[prod, 'DAG_VIEWER']]);
    const declared = bind('vendor.bob@contractor.example', 'DEPLOYMENT_ADMIN');
    const p = plan(manifest([dep('Data', 'prod', { users: [declared], teams: [] })], { ignore: ['*@contractor.EXAMPLE', 'vendor-*'] }), o.actual);
    expect(p.ignored.map((b) => [b.subject.type, b.subject.name, b.reason])).toEqual([
      ['user', 'Vendor.Bob@Contractor.Example', 'matches ignore pattern "*@contractor.EXAMPLE"'],
      ['team', 'vendor-team', 'matches ignore pattern "vendor-*"'],
    ]);
    expect(brief(p)).toEqual(['remove prod team Vendor-Team DAG_VIEWER>-']);
    expect(p.warnings).toEqual([
      expect.stringContaining(`${src(declared)}: user "Vendor.Bob@Contractor.Example"`),
    ]);
    expect(p.warnings[0]).toContain('matches ignore pattern "*@contractor.EXAMPLE"');
    expect(p.actions.some((a) => a.subject.id === team.id)).toBe(false);
  });

  it('protects users and teams matched by the protect list, so a guard refuses their removal', () => {
    const { o, prod } = small();
    const admin = o.user('Admin@Example.com', [[prod, 'DEPLOYMENT_ADMIN']]);
    const sre = o.team('SRE', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.user('other@example.com', [[prod, 'DAG_VIEWER']]);
    const p = plan(manifest([dep('Data', 'prod', { users: [], teams: [] })], { protect: ['admin@*', sre.id] }), o.actual);
    expect(p.protectedSubjects).toEqual([admin.id, sre.id].sort());
    const v = checkGuards(p, opts).violations;
    expect(v).toContain(`remove of user "Admin@Example.com" (${admin.id}) on deployment "prod" (${prod.id}): the user is protected by the manifest's \`protect\` list and may not lose a binding`);
    expect(v).toContain(`remove of team "SRE" (${sre.id}) on deployment "prod" (${prod.id}): the team is protected by the manifest's \`protect\` list and may not lose a binding`);
  });

  it('fingerprints the whole role set in canonical order: organization, workspace, deployment and DAG roles', () => {
    const { o, ws, prod, dev } = small();
    const u = o.user('u@example.com', [[prod, 'DAG_VIEWER'], [dev, 'DAG_VIEWER']], {
      workspaceRoles: [{ workspaceId: ws.id, role: 'WORKSPACE_MEMBER' }],
      dagRoles: [{ deploymentId: dev.id, role: 'DAG_VIEWER', dagId: 'etl' }, { deploymentId: dev.id, role: 'DAG_VIEWER', dagTag: 'fin' }],
    });
    const p = plan(manifest([dep('Data', 'prod', { users: [bind('u@example.com', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    const fp = p.users[u.id]?.fingerprint;
    expect(fp).toBe(fingerprintRoleSet(u));
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Order does not matter; every part of the set does.
    const reordered = { ...u, deploymentRoles: [...u.deploymentRoles].reverse(), dagRoles: [...u.dagRoles].reverse() };
    expect(fingerprintRoleSet(reordered)).toBe(fp);
    expect(fingerprintRoleSet({ ...u, organizationRole: 'ORGANIZATION_OWNER' })).not.toBe(fp);
    expect(fingerprintRoleSet({ ...u, organizationRole: null })).not.toBe(fp);
    expect(fingerprintRoleSet({ ...u, workspaceRoles: [] })).not.toBe(fp);
    expect(fingerprintRoleSet({ ...u, dagRoles: u.dagRoles.slice(1) })).not.toBe(fp);
    expect(fingerprintRoleSet({ ...u, workspaceRoles: undefined })).toBe(fingerprintRoleSet({ ...u, workspaceRoles: [] }));
  });

  it('refuses a removal that would orphan a user\'s or team\'s DAG roles on that deployment', () => {
    const { o, prod, dev } = small();
    const u = o.user('u@example.com', [[prod, 'DAG_VIEWER']], {
      dagRoles: [
        { deploymentId: prod.id, role: 'DAG_VIEWER', dagTag: 'finance' },
        { deploymentId: prod.id, role: 'DAG_AUTHOR', dagId: 'etl_daily' },
        { deploymentId: dev.id, role: 'DAG_VIEWER', dagId: 'on_dev' },
      ],
    });
    o.team('Ops', [[prod, 'DAG_VIEWER']], { dagRoles: [{ deploymentId: dev.id, role: 'DAG_VIEWER', dagId: 'x' }] });
    const p = plan(manifest([dep('Data', 'prod', { users: [], teams: [] })]), o.actual);
    expect(p.actions.map((a) => [a.subject.name, a.orphanedDagRoles])).toEqual([
      ['u@example.com', [
        { entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_AUTHOR' },
        { entityType: 'DAG_TAG', entityId: 'finance', role: 'DAG_VIEWER' },
      ]],
      ['Ops', undefined],
    ]);
    expect(p.actions[0]?.reason).toBe('not declared and prune is on; would orphan its DAG roles here: DAG "etl_daily" (DAG_AUTHOR), DAG_TAG "finance" (DAG_VIEWER)');
    expect(p.warnings).toEqual([
      `user "u@example.com" (${u.id}) would lose its role on deployment "prod" (${prod.id}) but keep DAG roles there (DAG "etl_daily" (DAG_AUTHOR), DAG_TAG "finance" (DAG_VIEWER)); apply refuses this unless --allow-unsafe`,
    ]);
    expect(checkGuards(p, opts).violations).toEqual([
      expect.stringMatching(/^remove of user "u@example.com" .* would leave its DAG roles there without a deployment role/),
    ]);
  });

  it('points out a bound user who is not ACTIVE and a bound IdP-managed team, once each with every line', () => {
    const { o } = small();
    const pending = o.user('new@example.com', [], { status: 'PENDING' });
    o.user('ok@example.com');
    const idp = o.team('Okta Data', [], { isIdpManaged: true });
    o.team('Local');
    const b1 = bind('new@example.com', 'DAG_VIEWER');
    const b2 = bind('new@example.com', 'DAG_VIEWER');
    const t1 = bind('Okta Data', 'DAG_VIEWER');
    const p = plan(manifest([
      dep('Data', 'prod', { users: [b1, bind('ok@example.com', 'DAG_VIEWER')], teams: [t1, bind('Local', 'DAG_VIEWER')] }),
      dep('Data', 'dev', { users: [b2] }),
    ]), o.actual);
    expect(p.warnings).toEqual([
      `user "new@example.com" (${pending.id}), bound at ${src(b1)}, ${src(b2)}: has status PENDING, not ACTIVE; check that the user should hold deployment roles`,
      `team "Okta Data" (${idp.id}), bound at ${src(t1)}: is managed by the identity provider (isIdpManaged): its members are added and removed there, and each of them holds this role`,
    ]);
  });

  it('escapes hostile emails and team names in messages', () => {
    const { o, prod } = small();
    const evil = o.user('a\u001b[31m@example.com', [[prod, 'DAG_VIEWER']], { status: 'INACTIVE' });
    o.team('**bold** <b>\u202e', [[prod, 'DAG_VIEWER']], { isIdpManaged: true });
    const p = plan(manifest([dep('Data', 'prod', {
      users: [bind({ id: evil.id }, 'DAG_VIEWER')],
      teams: [bind('**bold** <b>\u202e', 'DAG_VIEWER')],
    })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.warnings).toHaveLength(2);
    for (const w of p.warnings) expect(w).not.toMatch(/[\u001b\u202e]/);
    expect(p.warnings[0]).toContain('user "a\\u001b[31m@example.com"');
    expect(p.warnings[1]).toContain('team "**bold** <b>\\u202e"');
    const errs = errorsOf(manifest([dep('Data', 'prod', { users: [bind('b\u0007@example.com', 'DAG_VIEWER')] })]), o.actual);
    expect(errs[0]?.message).toBe('users: user "b\\u0007@example.com" not found in the organization');
  });

  it('orders tokens, users and teams in one deployment and is stable under shuffled input', () => {
    const { o, ws, prod } = small();
    o.team('B-team', [[prod, 'DAG_VIEWER']]);
    o.team('A-team', [[prod, 'DAG_VIEWER']]);
    o.user('z@example.com', [[prod, 'DAG_VIEWER']]);
    o.user('a@example.com', [[prod, 'DAG_VIEWER']]);
    o.workspaceToken(ws, 'tok', [[prod, 'DAG_VIEWER']]);
    const desired = manifest([dep('Data', 'prod', { workspaceTokens: [], users: [], teams: [] })]);
    const p = plan(desired, o.actual);
    expect(brief(p).map((l) => l.split(' ').slice(2, 4).join(' '))).toEqual([
      'token tok', 'user a@example.com', 'user z@example.com', 'team A-team', 'team B-team',
    ]);
    const shuffled: Actual = { ...o.actual, users: [...(o.actual.users ?? [])].reverse(), teams: [...(o.actual.teams ?? [])].reverse() };
    expect(JSON.stringify(plan(desired, shuffled))).toBe(JSON.stringify(p));
  });

  it('leaves users and teams alone on deployments that do not list them, even when they were read', () => {
    const { o, ws, prod } = small();
    o.user('u@example.com', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.team('Ops', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged).toEqual([]);
    expect(p.deployments[0]).toMatchObject({ managedKinds: ['workspace'], existing: 1, desired: 1 });
  });
});
