import { describe, expect, it } from 'vitest';
import { checkSavedPlan } from '../../src/apply/saved-plan.ts';
import { checkGuards } from '../../src/plan/guards.ts';
import type { Plan } from '../../src/plan/types.ts';
import { renderJson } from '../../src/render/json.ts';
import { renderMarkdown } from '../../src/render/markdown.ts';
import { renderText } from '../../src/render/text.ts';
import { OrgBuilder, bind, dep, manifest, src, planOf } from './builders.ts';

// Two things the plan must show before apply meets them: a removal that would orphan a token's DAG
// roles (refused by a guard), and bound tokens that are expired or DIRECT_ACCESS (flagged).

const plan = planOf;

const render = (p: Plan): Record<string, string> => ({
  text: renderText(p, { color: false }),
  // Markdown escapes `_` as an entity; read it back as text.
  markdown: renderMarkdown(p).replace(/&#95;/g, '_'),
  json: renderJson(p),
});

const opts = { maxRemovals: 50, selfTokenId: null, allowUnsafe: false };

function withDagReader() {
  const o = new OrgBuilder();
  const ws = o.workspace('Data');
  const prod = o.deployment(ws, 'prod');
  const dev = o.deployment(ws, 'dev');
  const reader = o.workspaceToken(ws, 'dag-reader', [[prod, 'DEPLOYMENT_ACCESSOR'], [dev, 'DEPLOYMENT_ACCESSOR']]);
  reader.roles.push(
    { entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_VIEWER', deploymentId: prod.id },
    { entityType: 'DAG_TAG', entityId: 'finance', role: 'DAG_OPERATOR', deploymentId: prod.id },
    { entityType: 'DAG', entityId: 'on_dev', role: 'DAG_VIEWER', deploymentId: dev.id },
  );
  const ci = o.workspaceToken(ws, 'ci', [[prod, 'DEPLOYMENT_ADMIN']]);
  return { o, ws, prod, dev, reader, ci };
}

describe('orphaned DAG roles', () => {
  it('a removal that would leave DAG entries on that deployment is shown in every format and refused by a guard', () => {
    const { o, reader } = withDagReader();
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]?.orphanedDagRoles).toEqual([
      { entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_VIEWER' },
      { entityType: 'DAG_TAG', entityId: 'finance', role: 'DAG_OPERATOR' },
    ]);
    for (const [format, out] of Object.entries(render(p))) {
      expect(out, format).toContain('etl_daily');
      expect(out, format).toContain('finance');
    }
    expect((JSON.parse(renderJson(p)) as Plan).actions[0]?.orphanedDagRoles).toHaveLength(2);
    const guards = checkGuards(p, opts);
    expect(guards.violations).toEqual([
      `remove of token "dag-reader" (${reader.id}) on deployment "prod" (${p.actions[0]?.deployment.id ?? ''}) would leave its DAG roles there without a deployment role: DAG "etl_daily" (DAG_VIEWER), DAG_TAG "finance" (DAG_OPERATOR); remove those DAG roles first, or keep a role on the deployment`,
    ]);
    expect(checkGuards(p, { ...opts, allowUnsafe: true })).toEqual({ violations: [], overridden: guards.violations });
  });

  it('a removal on a deployment without the token\'s DAG entries, and an update, are not flagged', () => {
    const { o } = withDagReader();
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('dag-reader', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(p.actions.map((a) => [a.action, a.subject.name, a.orphanedDagRoles])).toEqual([['remove', 'ci', undefined], ['update', 'dag-reader', undefined]]);
    expect(checkGuards(p, opts).violations).toEqual([]);
  });

  it('a saved plan with the DAG entries edited out is refused (they are inside the checksum)', () => {
    const { o } = withDagReader();
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    const saved = JSON.parse(renderJson(p)) as Plan;
    expect(checkSavedPlan(saved).problems).toEqual([]);
    delete saved.actions[0]?.orphanedDagRoles;
    expect(checkSavedPlan(saved).problems.join(' ')).toMatch(/checksum does not match/);
  });
});

describe('token states', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');

  it('flags a bound token whose endAt has passed, and a DIRECT_ACCESS one, in every format', () => {
    const o = new OrgBuilder();
    const ws = o.workspace('Data');
    o.deployment(ws, 'prod');
    const old = o.workspaceToken(ws, 'old-ci');
    old.endAt = '2026-05-31T23:59:59Z';
    const fresh = o.workspaceToken(ws, 'fresh');
    fresh.endAt = '2026-06-30T00:00:00Z';
    const direct = o.workspaceToken(ws, 'direct');
    direct.kind = 'DIRECT_ACCESS';
    const b = [bind('old-ci', 'DEPLOYMENT_ADMIN'), bind('fresh', 'DEPLOYMENT_ADMIN'), bind('direct', 'DEPLOYMENT_ADMIN')];
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: b })]), o.actual, NOW);
    expect(p.warnings).toEqual([
      `token "direct" (${direct.id}), bound at ${src(b[2]!)}: is a DIRECT_ACCESS token, not a STANDARD API token; check that it should hold deployment roles`,
      `token "old-ci" (${old.id}), bound at ${src(b[0]!)}: expired on 2026-05-31T23:59:59Z; its roles have no effect until it is rotated or replaced`,
    ]);
    for (const [format, out] of Object.entries(render(p))) {
      expect(out, format).toContain('expired on 2026-05-31T23:59:59Z');
      expect(out, format).toContain('DIRECT_ACCESS');
      expect(out, format).not.toContain('token "fresh"');
    }
  });

  it("escapes an endAt the API sends with a line break in it (Date.parse reads text in parentheses as a comment)", () => {
    const o = new OrgBuilder();
    const ws = o.workspace('Data');
    o.deployment(ws, 'prod');
    const t = o.workspaceToken(ws, 'odd');
    t.endAt = 'Jan 1 2020 (\n::error::x)';
    const p = plan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('odd', 'DEPLOYMENT_ADMIN')] })]), o.actual, NOW);
    expect(p.warnings.join('|')).toContain('expired on Jan 1 2020 (\\x0a::error::x)');
    expect(p.warnings.join('|')).not.toContain('\n');
  });

  it('is pure: without "now" no expiry is judged, and an unbound expired token is not flagged', () => {
    const o = new OrgBuilder();
    const ws = o.workspace('Data');
    const prod = o.deployment(ws, 'prod');
    const old = o.workspaceToken(ws, 'old-ci');
    old.endAt = '2020-01-01T00:00:00Z';
    const other = o.workspaceToken(ws, 'other', [[prod, 'DEPLOYMENT_ADMIN']]);
    other.endAt = '2020-01-01T00:00:00Z';
    const m = manifest([dep('Data', 'prod', { workspaceTokens: [bind('old-ci', 'DEPLOYMENT_ADMIN'), bind('other', 'DEPLOYMENT_ADMIN')] })]);
    expect(plan(m, o.actual).warnings).toEqual([]);
    const unbound = manifest([dep('Data', 'prod', { workspaceTokens: [bind('other', 'DEPLOYMENT_ADMIN')] })]);
    expect(plan(unbound, o.actual, Date.parse('2026-01-01T00:00:00Z')).warnings).toEqual([
      `token "other" (${other.id}), bound at ${src(unbound.deployments[0]!.workspaceTokens![0]!)}: expired on 2020-01-01T00:00:00Z; its roles have no effect until it is rotated or replaced`,
    ]);
  });
});
