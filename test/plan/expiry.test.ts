import { describe, expect, it } from 'vitest';
import { checkSavedPlan } from '../../src/apply/saved-plan.ts';
import { planChecksum } from '../../src/plan/checksum.ts';
import { isExpiryRemoval, onlyExpiryRemovals } from '../../src/plan/expiry.ts';
import { checkGuards } from '../../src/plan/guards.ts';
import type { Plan } from '../../src/plan/types.ts';
import { renderJson } from '../../src/render/json.ts';
import { OrgBuilder, bind, dep, manifest, src, planOf } from './builders.ts';

// Grants with `expires`: at and after their end they count as not declared; within 7 days before it
// they are flagged; the plan lists both in `expirations`, inside the checksum.

const plan = planOf;

const at = (iso: string): number => Date.parse(iso);
const DAY = 24 * 60 * 60 * 1000;

function org() {
  const o = new OrgBuilder();
  const ws = o.workspace('Data');
  const prod = o.deployment(ws, 'prod');
  o.customRole('DAG_VIEWER');
  return { o, ws, prod };
}

describe('expired grants', () => {
  it('a date ends with that day, UTC: live at 23:59:59.999Z, removed from 00:00Z the next day', () => {
    const { o, prod } = org();
    const u = o.user('temp@example.com', [[prod, 'DAG_VIEWER']]);
    const b = bind('temp@example.com', 'DAG_VIEWER', '2026-12-31');
    const m = manifest([dep('Data', 'prod', { users: [b] })]);

    const before = plan(m, o.actual, at('2026-12-31T23:59:59.999Z'));
    expect(before.actions).toEqual([]);
    expect(before.summary.unchanged).toBe(1);
    expect(before.expirations).toEqual([{
      deployment: expect.objectContaining({ id: prod.id }),
      subject: { type: 'user', id: u.id, name: 'temp@example.com' },
      role: 'DAG_VIEWER', expires: '2026-12-31', endsAt: '2027-01-01T00:00:00.000Z', expired: false, source: src(b),
    }]);

    const atEnd = plan(m, o.actual, at('2027-01-01T00:00:00Z'));
    expect(atEnd.actions).toEqual([{
      action: 'remove',
      deployment: expect.objectContaining({ id: prod.id }),
      subject: { type: 'user', id: u.id, name: 'temp@example.com' },
      before: 'DAG_VIEWER', after: null, reason: 'expired on 2026-12-31', source: src(b), expires: '2026-12-31',
    }]);
    // The removal carries its end as written: it is an expiry removal (CONTRACT16 Addendum).
    expect(isExpiryRemoval(atEnd.actions[0]!)).toBe(true);
    expect(atEnd.expirations).toEqual([expect.objectContaining({ expired: true, endsAt: '2027-01-01T00:00:00.000Z' })]);
    expect(atEnd.deployments[0]).toMatchObject({ existing: 1, desired: 0 });
    expect(atEnd.users).toHaveProperty(u.id);
  });

  it('an RFC 3339 time with an offset ends at that instant', () => {
    const { o, prod } = org();
    o.team('Oncall', [[prod, 'DEPLOYMENT_ADMIN']]);
    const m = manifest([dep('Data', 'prod', { teams: [bind('Oncall', 'DEPLOYMENT_ADMIN', '2026-12-31T18:00:00+02:00')] })]);
    expect(plan(m, o.actual, at('2026-12-31T15:59:59.999Z')).actions).toEqual([]);
    const p = plan(m, o.actual, at('2026-12-31T16:00:00Z'));
    expect(p.actions.map((a) => [a.action, a.reason])).toEqual([['remove', 'expired on 2026-12-31T18:00:00+02:00']]);
    expect(p.expirations[0]).toMatchObject({ expires: '2026-12-31T18:00:00+02:00', endsAt: '2026-12-31T16:00:00.000Z', expired: true });
  });

  it('with prune off an expired grant is listed as unmanaged with the expiry as the reason', () => {
    const { o, prod } = org();
    o.user('temp@example.com', [[prod, 'DAG_VIEWER']]);
    const m = manifest([dep('Data', 'prod', { prune: false, users: [bind('temp@example.com', 'DAG_VIEWER', '2026-01-01')] })]);
    const p = plan(m, o.actual, at('2026-03-01T00:00:00Z'));
    expect(p.actions).toEqual([]);
    expect(p.unmanaged.map((b) => b.reason)).toEqual(['expired on 2026-01-01 and prune is off for this deployment']);
    expect(p.expirations).toEqual([expect.objectContaining({ expired: true })]);
  });

  it('an expired grant that is not live plans nothing, but is listed and warned about', () => {
    const { o } = org();
    o.user('temp@example.com');
    const b = bind('temp@example.com', 'DAG_VIEWER', '2026-01-01');
    const p = plan(manifest([dep('Data', 'prod', { users: [b] })]), o.actual, at('2026-03-01T00:00:00Z'));
    expect(p.actions).toEqual([]);
    expect(p.summary).toEqual({ add: 0, update: 0, remove: 0, unchanged: 0, unmanaged: 0, ignored: 0 });
    expect(p.expirations).toEqual([expect.objectContaining({ expired: true, source: src(b) })]);
    expect(p.warnings).toEqual([expect.stringMatching(/^astro-access\.yaml:\d+: the grant of "DAG_VIEWER" to user "temp@example.com" .* expired on 2026-01-01; the entry is treated as not declared \(delete it from the manifest\)$/)]);
  });

  it('applies to tokens too, and an expired removal that would orphan DAG roles is still refused', () => {
    const { o, ws, prod } = org();
    const t = o.workspaceToken(ws, 'contractor-ci', [[prod, 'DAG_VIEWER']]);
    t.roles.push({ entityType: 'DAG', entityId: 'etl', role: 'DAG_VIEWER', deploymentId: prod.id });
    const m = manifest([dep('Data', 'prod', { workspaceTokens: [bind('contractor-ci', 'DAG_VIEWER', '2026-01-01')] })]);
    const p = plan(m, o.actual, at('2026-01-02T00:00:00Z'));
    expect(p.actions.map((a) => [a.action, a.subject.name, a.reason])).toEqual([
      ['remove', 'contractor-ci', 'expired on 2026-01-01; would orphan its DAG roles here: DAG "etl" (DAG_VIEWER)'],
    ]);
    expect(checkGuards(p, { maxRemovals: 50, selfTokenId: null, allowUnsafe: false }).violations).toEqual([
      expect.stringContaining('would leave its DAG roles there without a deployment role'),
    ]);
  });

  it('a deployment whose declared grants have all expired counts as explicitly emptied, so the guard lets the expiry through', () => {
    const { o, ws, prod } = org();
    o.user('temp@example.com', [[prod, 'DAG_VIEWER']]);
    o.workspaceToken(ws, 'ci', [[prod, 'DAG_VIEWER']]);
    const guards = { maxRemovals: 50, selfTokenId: null, allowUnsafe: false };
    const expiring = (now: number) => plan(manifest([dep('Data', 'prod', {
      users: [bind('temp@example.com', 'DAG_VIEWER', '2026-01-01')], workspaceTokens: [],
    })]), o.actual, now);
    const before = expiring(at('2025-12-31T00:00:00Z'));
    expect(before.deployments[0]).toMatchObject({ existing: 2, desired: 1, explicitEmpty: false });
    const after = expiring(at('2026-01-02T00:00:00Z'));
    expect(after.deployments[0]).toMatchObject({ existing: 2, desired: 0, explicitEmpty: true });
    expect(checkGuards(after, guards).violations).toEqual([]);
    // A list that still holds a live grant is not empty.
    const mixed = plan(manifest([dep('Data', 'prod', {
      users: [bind('temp@example.com', 'DAG_VIEWER', '2026-01-01')], workspaceTokens: [bind('ci', 'DAG_VIEWER')],
    })]), o.actual, at('2026-01-02T00:00:00Z'));
    expect(mixed.deployments[0]).toMatchObject({ existing: 2, desired: 1, explicitEmpty: false });
  });

  it('an ignored subject\'s expiry is neither judged nor listed', () => {
    const { o, prod } = org();
    o.user('vendor@example.com', [[prod, 'DAG_VIEWER']]);
    const m = manifest([dep('Data', 'prod', { users: [bind('vendor@example.com', 'DAG_VIEWER', '2026-01-01')] })], { ignore: ['vendor@*'] });
    const p = plan(m, o.actual, at('2026-03-01T00:00:00Z'));
    expect(p.actions).toEqual([]);
    expect(p.expirations).toEqual([]);
    expect(p.ignored).toHaveLength(1);
  });
});

describe('grants expiring soon', () => {
  it('flags a grant ending within 7 days (the boundary included), not one ending later', () => {
    const { o, prod } = org();
    o.user('a@example.com', [[prod, 'DAG_VIEWER']]);
    o.user('b@example.com', [[prod, 'DAG_VIEWER']]);
    const now = at('2026-06-01T12:00:00Z');
    const inWindow = bind('a@example.com', 'DAG_VIEWER', new Date(now + 7 * DAY).toISOString());
    const outside = bind('b@example.com', 'DAG_VIEWER', new Date(now + 7 * DAY + 1).toISOString());
    const p = plan(manifest([dep('Data', 'prod', { users: [inWindow, outside] })]), o.actual, now);
    expect(p.actions).toEqual([]);
    expect(p.expirations.map((e) => [e.subject.name, e.expired, e.endsAt])).toEqual([
      ['a@example.com', false, '2026-06-08T12:00:00.000Z'],
    ]);
    expect(p.warnings).toEqual([
      `${src(inWindow)}: the grant of "DAG_VIEWER" to user "a@example.com" (${p.expirations[0]?.subject.id ?? ''}) on deployment "prod" (${prod.id}) expires on 2026-06-08T12:00:00.000Z (it holds until 2026-06-08T12:00:00.000Z), within 7 days; from then on it is treated as not declared`,
    ]);
  });

  it('an add or update of a grant with an end carries it, whether or not it is near', () => {
    const { o, prod } = org();
    o.user('new@example.com');
    o.team('Ops', [[prod, 'DAG_VIEWER']]);
    const m = manifest([dep('Data', 'prod', {
      users: [bind('new@example.com', 'DAG_VIEWER', '2030-01-01')],
      teams: [bind('Ops', 'DEPLOYMENT_ADMIN', '2026-06-03')],
    })]);
    const p = plan(m, o.actual, at('2026-06-01T00:00:00Z'));
    expect(p.actions.map((a) => [a.action, a.subject.name, a.expires])).toEqual([
      ['add', 'new@example.com', '2030-01-01'],
      ['update', 'Ops', '2026-06-03'],
    ]);
    expect(p.expirations.map((e) => e.subject.name)).toEqual(['Ops']);
    const plain = plan(manifest([dep('Data', 'prod', { teams: [bind('Ops', 'DEPLOYMENT_ADMIN')] })]), o.actual, at('2026-06-01T00:00:00Z'));
    expect(plain.actions[0]).not.toHaveProperty('expires');
  });

  it('without a time nothing is expired or listed, and expires still rides on the actions', () => {
    const { o, prod } = org();
    o.user('old@example.com', [[prod, 'DAG_VIEWER']]);
    o.user('new@example.com');
    const m = manifest([dep('Data', 'prod', {
      users: [bind('old@example.com', 'DAG_VIEWER', '2000-01-01'), bind('new@example.com', 'DAG_VIEWER', '2000-01-01')],
    })]);
    const p = plan(m, o.actual);
    expect(p.actions.map((a) => [a.action, a.subject.name, a.expires])).toEqual([['add', 'new@example.com', '2000-01-01']]);
    expect(p.expirations).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('lists expirations in the plan\'s order and covers them with the checksum', () => {
    const o = new OrgBuilder();
    const ws = o.workspace('Data');
    const prod = o.deployment(ws, 'prod');
    const dev = o.deployment(ws, 'dev');
    o.user('z@example.com', [[prod, 'DEPLOYMENT_ADMIN']]);
    o.user('a@example.com');
    o.team('T');
    const m = manifest([
      dep('Data', 'prod', { users: [bind('z@example.com', 'DEPLOYMENT_ADMIN', '2026-06-02'), bind('a@example.com', 'DEPLOYMENT_ADMIN', '2026-05-01')] }),
      dep('Data', 'dev', { teams: [bind('T', 'DEPLOYMENT_ADMIN', '2026-06-05')] }),
    ]);
    const p = plan(m, o.actual, at('2026-06-01T00:00:00Z'));
    expect(p.expirations.map((e) => [e.deployment.name, e.subject.name, e.expired])).toEqual([
      ['dev', 'T', false], ['prod', 'a@example.com', true], ['prod', 'z@example.com', false],
    ]);
    expect(p.expirations[0]?.deployment.id).toBe(dev.id);
    expect(p.checksum).toBe(planChecksum(p));
    const edited: Plan = { ...p, expirations: p.expirations.map((e, i) => (i === 1 ? { ...e, expired: false } : e)) };
    expect(planChecksum(edited)).not.toBe(p.checksum);
    expect(planChecksum({ ...p, expirations: p.expirations.slice(1) })).not.toBe(p.checksum);
  });
});

describe('a plan with users, teams and expirations, saved', () => {
  it('passes the saved-plan check (schema, checksum, a fingerprint for every subject)', () => {
    const { o, ws, prod } = org();
    o.user('soon@example.com', [[prod, 'DAG_VIEWER']]);
    o.user('gone@example.com', [[prod, 'DAG_VIEWER']]);
    o.team('Ops');
    o.workspaceToken(ws, 'ci');
    const m = manifest([dep('Data', 'prod', {
      workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN', '2026-06-04T00:00:00Z')],
      users: [bind('soon@example.com', 'DEPLOYMENT_ADMIN', '2026-06-03'), bind('gone@example.com', 'DAG_VIEWER', '2026-05-01')],
      teams: [bind('Ops', 'DAG_VIEWER')],
    })]);
    const p = plan(m, o.actual, at('2026-06-01T00:00:00Z'));
    // gone@ sorts before soon@.
    expect(p.actions.map((a) => [a.action, a.subject.type, a.expires])).toEqual([
      ['add', 'token', '2026-06-04T00:00:00Z'], ['remove', 'user', '2026-05-01'], ['update', 'user', '2026-06-03'], ['add', 'team', undefined],
    ]);
    expect(p.expirations).toHaveLength(3);
    const saved = JSON.parse(renderJson(p)) as Plan;
    expect(checkSavedPlan(saved).problems).toEqual([]);
    expect(saved).toEqual(JSON.parse(JSON.stringify(p)));
  });
});

describe('onlyExpiryRemovals', () => {
  it('holds for a plan of expired-grant removals only, not for one with anything else or nothing', () => {
    const { o, prod } = org();
    o.user('gone@example.com', [[prod, 'DAG_VIEWER']]);
    o.user('other@example.com', [[prod, 'DAG_VIEWER']]);
    const now = at('2026-06-01T00:00:00Z');
    const expiredOnly = plan(manifest([dep('Data', 'prod', {
      users: [bind('gone@example.com', 'DAG_VIEWER', '2026-05-01'), bind('other@example.com', 'DAG_VIEWER')],
    })]), o.actual, now);
    expect(expiredOnly.actions.map((a) => a.subject.name)).toEqual(['gone@example.com']);
    expect(onlyExpiryRemovals(expiredOnly)).toBe(true);
    // Pruning the undeclared user too: a removal that is not an expiry.
    const withPrune = plan(manifest([dep('Data', 'prod', { users: [bind('gone@example.com', 'DAG_VIEWER', '2026-05-01')] })]), o.actual, now);
    expect(withPrune.actions).toHaveLength(2);
    expect(onlyExpiryRemovals(withPrune)).toBe(false);
    expect(withPrune.actions.map((a) => [a.subject.name, isExpiryRemoval(a)])).toEqual([['gone@example.com', true], ['other@example.com', false]]);
    const nothing = plan(manifest([dep('Data', 'prod', { prune: false, users: [] })]), o.actual, now);
    expect(onlyExpiryRemovals(nothing)).toBe(false);
    // An expiring (not yet expired) grant's listing does not make its removal an expiry.
    const soon = plan(manifest([dep('Data', 'prod', { users: [bind('gone@example.com', 'DAG_VIEWER', '2026-06-03'), bind('other@example.com', 'DAG_VIEWER', '2026-06-03')] })]), o.actual, now);
    expect(onlyExpiryRemovals({ actions: [{ ...withPrune.actions[0]!, action: 'remove' }], expirations: soon.expirations })).toBe(false);
  });
});
