import { describe, expect, it } from 'vitest';
import { checkGuards } from '../../src/plan/guards.ts';
import type { Plan, PlanAction, PlanDeployment } from '../../src/plan/types.ts';

const D = { id: 'cdep', name: 'prod', workspaceId: 'cws', workspaceName: 'Data' };

function deployment(over: Partial<PlanDeployment> = {}): PlanDeployment {
  return { ...D, managedKinds: ['workspace'], existing: 1, desired: 1, explicitEmpty: false, source: 'a.yaml:1', ...over };
}

function act(kind: PlanAction['action'], tokenId: string, deploymentId = D.id): PlanAction {
  return {
    action: kind,
    deployment: { ...D, id: deploymentId },
    subject: { type: 'token', id: tokenId, name: `tok-${tokenId}`, scope: 'WORKSPACE' },
    before: kind === 'add' ? null : 'DEPLOYMENT_ADMIN',
    after: kind === 'remove' ? null : 'DAG_VIEWER',
    reason: '', source: null,
  };
}

function plan(actions: PlanAction[], deployments: PlanDeployment[], protectedSubjects: string[] = []): Plan {
  return {
    formatVersion: 2, organizationId: 'corg', manifestDigest: '', checksum: '',
    summary: { add: 0, update: 0, remove: 0, unchanged: 0, unmanaged: 0, ignored: 0 },
    actions, unmanaged: [], ignored: [], warnings: [], deployments, protectedSubjects, tokens: {}, users: {}, teams: {}, expirations: [],
  };
}

const removes = (n: number): PlanAction[] => Array.from({ length: n }, (_, i) => act('remove', `c${i}`));
const opts = { maxRemovals: 50, selfTokenId: null, allowUnsafe: false };

describe('checkGuards', () => {
  it('passes a plan that trips no guard', () => {
    const p = plan([act('add', 'a'), act('update', 'b'), ...removes(2)], [deployment({ existing: 10, desired: 9 })]);
    expect(checkGuards(p, opts)).toEqual({ violations: [], overridden: [] });
  });

  it('refuses removing more than 25% of a deployment with 10 or more managed bindings', () => {
    expect(checkGuards(plan(removes(3), [deployment({ existing: 12, desired: 9 })]), opts).violations).toEqual([]);
    const v = checkGuards(plan(removes(4), [deployment({ existing: 12, desired: 8 })]), opts).violations;
    expect(v).toHaveLength(1);
    expect(v[0]).toContain('4 of its 12');
    expect(v[0]).toContain('cdep');
  });

  it('does not apply the share guard below 10 existing bindings', () => {
    expect(checkGuards(plan(removes(5), [deployment({ existing: 9, desired: 4 })]), opts).violations).toEqual([]);
  });

  it('refuses more removals in total than maxRemovals', () => {
    const many = Array.from({ length: 6 }, (_, i) => act('remove', `c${i}`, `cdep${i}`));
    const deps = many.map((a) => deployment({ id: a.deployment.id, existing: 100, desired: 99 }));
    expect(checkGuards(plan(many, deps), { ...opts, maxRemovals: 6 }).violations).toEqual([]);
    const v = checkGuards(plan(many, deps), { ...opts, maxRemovals: 5 }).violations;
    expect(v).toEqual([expect.stringContaining('6 bindings would be removed in total, more than the limit of 5')]);
  });

  it('refuses emptying a deployment unless the manifest says so explicitly', () => {
    const v = checkGuards(plan(removes(2), [deployment({ existing: 2, desired: 0 })]), opts).violations;
    expect(v).toEqual([expect.stringContaining('all 2 managed bindings would be removed')]);
    expect(checkGuards(plan(removes(2), [deployment({ existing: 2, desired: 0, explicitEmpty: true })]), opts).violations).toEqual([]);
  });

  it('refuses any change to the running token: add, update or remove', () => {
    const self = { ...opts, selfTokenId: 'cself' };
    expect(checkGuards(plan([act('add', 'cself')], [deployment()]), self).violations).toEqual([
      expect.stringContaining('must not change its own roles (none → DAG_VIEWER)'),
    ]);
    expect(checkGuards(plan([act('update', 'cself')], [deployment()]), self).violations).toEqual([
      expect.stringContaining('cself'),
    ]);
    expect(checkGuards(plan([act('remove', 'cself')], [deployment({ existing: 3, desired: 2 })]), self).violations).toHaveLength(1);
  });

  it('refuses removing a binding of a protected token, allows updating it', () => {
    const d = [deployment({ existing: 3, desired: 2 })];
    expect(checkGuards(plan([act('update', 'cp')], d, ['cp']), opts).violations).toEqual([]);
    expect(checkGuards(plan([act('remove', 'cp')], d, ['cp']), opts).violations).toEqual([expect.stringContaining('protect')]);
  });

  it('with allowUnsafe moves every violation to overridden', () => {
    const p = plan([act('remove', 'cself'), act('remove', 'cp')], [deployment({ existing: 2, desired: 0 })], ['cp']);
    const strict = checkGuards(p, { maxRemovals: 1, selfTokenId: 'cself', allowUnsafe: false });
    expect(strict.violations).toHaveLength(4);
    expect(strict.overridden).toEqual([]);
    const unsafe = checkGuards(p, { maxRemovals: 1, selfTokenId: 'cself', allowUnsafe: true });
    expect(unsafe).toEqual({ violations: [], overridden: strict.violations });
  });
});

describe('guard messages', () => {
  it('escape IDs and role names from the API: no control character, no line of their own', () => {
    const evil = 'cx\n::error::forged\x1b[2J';
    const a = { ...act('update', evil), before: 'ROLE\r\x07', after: 'DAG_VIEWER\u202e' };
    const p = plan([a], [deployment({ id: evil })], [evil]);
    const { violations } = checkGuards(p, { ...opts, selfTokenId: evil });
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) expect(v).not.toMatch(/[\n\r\x07\x1b\u202e]/);
    expect(violations.join(' ')).toContain('cx\\x0a::error::forged\\x1b[2J');
  });
});
