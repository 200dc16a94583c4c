import { describe, expect, it } from 'vitest';
import { fingerprintRoles } from '../../src/plan/fingerprint.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { Actual } from '../../src/astro/actual.ts';
import { OrgBuilder, bind, dep, manifest, src, planOf, smallOrg } from './builders.ts';

const plan = planOf;

const small = smallOrg;

const brief = (p: Plan): string[] =>
  p.actions.map((a) => `${a.action} ${a.deployment.name} ${a.subject.name} ${a.before ?? '-'}>${a.after ?? '-'}`);

describe('makePlan actions', () => {
  it('adds a declared binding that does not exist, with its source and reason', () => {
    const { o, prod } = small();
    const ci = o.workspaceToken(o.actual.workspaces[0]!, 'ci');
    const b = bind('ci', 'DEPLOYMENT_ADMIN');
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [b] })]), o.actual);
    expect(p.actions).toEqual([{
      action: 'add',
      deployment: { id: prod.id, name: 'prod', workspaceId: prod.workspaceId, workspaceName: 'Data' },
      subject: { type: 'token', id: ci.id, name: 'ci', scope: 'WORKSPACE' },
      before: null, after: 'DEPLOYMENT_ADMIN', reason: 'declared in manifest', source: src(b),
    }]);
    expect(p.summary).toEqual({ add: 1, update: 0, remove: 0, unchanged: 0, unmanaged: 0, ignored: 0 });
    expect(p.tokens).toEqual({ [ci.id]: { fingerprint: fingerprintRoles(ci.roles) } });
  });

  it('updates a binding whose role differs and says how', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'ci', [[prod, 'DAG_VIEWER']]);
    const b = bind('ci', 'DEPLOYMENT_ADMIN');
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [b] })]), o.actual);
    expect(brief(p)).toEqual(['update prod ci DAG_VIEWER>DEPLOYMENT_ADMIN']);
    expect(p.actions[0]?.reason).toBe('role differs: DAG_VIEWER → DEPLOYMENT_ADMIN');
    expect(p.actions[0]?.source).toBe(src(b));
  });

  it('removes an undeclared binding when prune is on, with a null source', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'old', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(brief(p)).toEqual(['remove prod old DEPLOYMENT_ADMIN>-']);
    expect(p.actions[0]).toMatchObject({ reason: 'not declared and prune is on', source: null });
    expect(p.summary).toMatchObject({ remove: 1, unchanged: 1 });
    expect(p.deployments[0]).toMatchObject({ existing: 2, desired: 1, explicitEmpty: false });
  });

  it('produces a valid empty plan when everything matches', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.summary).toEqual({ add: 0, update: 0, remove: 0, unchanged: 1, unmanaged: 0, ignored: 0 });
    expect(p.tokens).toEqual({});
    expect(p.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p.formatVersion).toBe(2);
    expect(p.manifestDigest).toBe('f'.repeat(64));
  });

  it('keeps undeclared bindings as unmanaged when prune is off', () => {
    const { o, ws, prod } = small();
    const old = o.workspaceToken(ws, 'old', [[prod, 'DAG_VIEWER']]);
    const p = plan(manifest([dep('Data', 'prod', { prune: false, workspaceTokens: [] })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged).toEqual([{
      deployment: expect.objectContaining({ id: prod.id }),
      subject: { type: 'token', id: old.id, name: 'old', scope: 'WORKSPACE' },
      role: 'DAG_VIEWER',
      reason: 'not declared and prune is off for this deployment',
    }]);
    expect(p.summary.unmanaged).toBe(1);
    expect(p.deployments[0]).toMatchObject({ existing: 1, desired: 1 });
  });

  it('manages organization tokens under organizationTokens, and leaves workspace tokens alone when that key is absent', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'ws-tok', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.orgToken('org-old', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.orgToken('org-new');
    const p = plan(manifest([dep('Data', 'prod', { organizationTokens: [bind('org-new', 'DAG_VIEWER')] })]), o.actual);
    expect(brief(p)).toEqual(['add prod org-new ->DAG_VIEWER', 'remove prod org-old DEPLOYMENT_ADMIN>-']);
    expect(p.actions.map((a) => a.subject.scope)).toEqual(['ORGANIZATION', 'ORGANIZATION']);
    expect(p.unmanaged).toEqual([]);
    expect(p.deployments[0]).toMatchObject({ managedKinds: ['organization'], existing: 1, desired: 1 });
  });

  it('manages nothing on a listed deployment with neither key', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'a', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.orgToken('b', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([dep('Data', 'prod')]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged).toEqual([]);
    expect(p.deployments[0]).toMatchObject({ managedKinds: [], existing: 0, desired: 0, explicitEmpty: false });
  });

  it('removes every workspace binding on `workspaceTokens: []` and marks the deployment explicitly empty', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'a', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.workspaceToken(ws, 'b', [[prod, 'DAG_VIEWER']]);
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [] })]), o.actual);
    expect(brief(p)).toEqual(['remove prod a DEPLOYMENT_ADMIN>-', 'remove prod b DAG_VIEWER>-']);
    expect(p.deployments[0]).toMatchObject({ existing: 2, desired: 0, explicitEmpty: true, managedKinds: ['workspace'] });
  });

  it('never touches or lists deployment-scoped tokens', () => {
    const { o, prod } = small();
    o.deploymentToken(prod, 'local');
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [], organizationTokens: [] })]), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged).toEqual([]);
    expect(p.ignored).toEqual([]);
    expect(p.deployments[0]).toMatchObject({ existing: 0, explicitEmpty: true });
  });

  it('lists one tokens entry for a token with actions on several deployments, fingerprinted as read', () => {
    const { o, ws, prod, dev } = small();
    const ci = o.workspaceToken(ws, 'ci', [[prod, 'DAG_VIEWER'], [dev, 'DAG_VIEWER']]);
    const p = plan(manifest([
      dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] }),
      dep('Data', 'dev', { workspaceTokens: [] }),
    ]), o.actual);
    expect(brief(p)).toEqual(['remove dev ci DAG_VIEWER>-', 'update prod ci DAG_VIEWER>DEPLOYMENT_ADMIN']);
    expect(p.tokens).toEqual({ [ci.id]: { fingerprint: fingerprintRoles(ci.roles) } });
  });
});

describe('makePlan ignore and protect', () => {
  it('lists bindings of ignored tokens (glob on name or exact ID) and never changes them', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'break-glass-1', [[prod, 'DEPLOYMENT_ADMIN']]);
    const byId = o.workspaceToken(ws, 'robot', [[prod, 'DAG_VIEWER']]);
    o.workspaceToken(ws, 'break-glass', [[prod, 'DAG_VIEWER']]); // `-?` needs one more character
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [] })], { ignore: ['break-glass-?', byId.id] }), o.actual);
    expect(brief(p)).toEqual(['remove prod break-glass DAG_VIEWER>-']);
    expect(p.ignored.map((b) => [b.subject.name, b.reason])).toEqual([
      ['break-glass-1', 'matches ignore pattern "break-glass-?"'],
      ['robot', `matches ignore pattern "${byId.id}"`],
    ]);
    expect(p.summary.ignored).toBe(2);
    expect(p.deployments[0]).toMatchObject({ existing: 1, desired: 0 });
  });

  it('skips a declared ignored token with a warning', () => {
    const { o, ws, prod } = small();
    o.workspaceToken(ws, 'break-glass-admin', [[prod, 'DAG_VIEWER']]);
    const b = bind('break-glass-admin', 'DEPLOYMENT_ADMIN');
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [b] })], { ignore: ['break-glass-*'] }), o.actual);
    expect(p.actions).toEqual([]);
    expect(p.ignored).toHaveLength(1);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toContain(src(b));
    expect(p.warnings[0]).toContain('"break-glass-*"');
  });

  it('lists protected token IDs among declared tokens and tokens bound on managed deployments, sorted', () => {
    const { o, ws, prod, dev } = small();
    const a = o.workspaceToken(ws, 'keep-a', [[prod, 'DEPLOYMENT_ADMIN']]);
    const b = o.orgToken('keep-b');
    o.workspaceToken(ws, 'keep-c', [[dev, 'DEPLOYMENT_ADMIN']]); // dev is not managed
    o.workspaceToken(ws, 'other', [[prod, 'DEPLOYMENT_ADMIN']]);
    const p = plan(manifest([
      dep('Data', 'prod', { workspaceTokens: [], organizationTokens: [bind('keep-b', 'DEPLOYMENT_ADMIN')] }),
    ], { protect: ['keep-*'] }), o.actual);
    expect(p.protectedSubjects).toEqual([a.id, b.id].sort());
  });
});

describe('makePlan determinism', () => {
  function build() {
    const o = new OrgBuilder();
    const w1 = o.workspace('W1', 'cw1000000000000000000000a');
    const w2 = o.workspace('W2', 'cw2000000000000000000000a');
    const deps = [o.deployment(w1, 'b', 'cd1000000000000000000000a'), o.deployment(w1, 'a', 'cd2000000000000000000000a'),
      o.deployment(w2, 'a', 'cd3000000000000000000000a')];
    o.customRole('V');
    const toks = ['t3', 't1', 't2', 't1'].map((n, i) =>
      o.workspaceToken(i < 2 ? w1 : w2, n, deps.filter((d) => d.workspaceId === (i < 2 ? w1 : w2).id).map((d) => [d, 'V']),
        `ct${i}00000000000000000000000`.slice(0, 25)));
    o.orgToken('org', deps.map((d) => [d, 'V']), 'co0000000000000000000000a');
    return { o, toks };
  }
  const desiredOf = () => [
    dep('W1', 'b', { workspaceTokens: [bind('t1', 'DEPLOYMENT_ADMIN')], organizationTokens: [] }),
    dep('W1', 'a', { workspaceTokens: [bind('t3', 'V')] }),
    dep('W2', 'a', { workspaceTokens: [], organizationTokens: [bind('org', 'DEPLOYMENT_ADMIN')] }),
  ];

  it('gives identical plan JSON for shuffled inputs', () => {
    const { o } = build();
    const desired = manifest(desiredOf());
    const first = JSON.stringify(plan(desired, o.actual));
    const rev = <T>(xs: T[]): T[] => [...xs].reverse();
    const shuffled: Actual = {
      ...o.actual,
      workspaces: rev(o.actual.workspaces),
      deployments: rev(o.actual.deployments),
      tokens: rev(o.actual.tokens).map((t) => ({ ...t, roles: rev(t.roles) })),
      roles: rev(o.actual.roles),
    };
    const second = JSON.stringify(plan({ ...desired, deployments: rev(desired.deployments) }, shuffled));
    expect(second).toBe(first);
    const p = JSON.parse(first) as Plan;
    const keys = p.actions.map((a) => [a.deployment.workspaceName, a.deployment.name, a.subject.name, a.subject.id].join('/'));
    expect(keys).toEqual([...keys].sort());
    expect(p.actions.length).toBeGreaterThan(3);
    expect(Object.keys(p.tokens)).toEqual(Object.keys(p.tokens).sort());
  });
});
