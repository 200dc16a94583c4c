import { describe, expect, it } from 'vitest';
import { indexActual } from '../../src/plan/index-actual.ts';
import { makePlan } from '../../src/plan/planner.ts';
import { resolveNames } from '../../src/plan/resolve-names.ts';
import { FILE, OrgBuilder, bind, dep, manifest, planErrors } from './builders.ts';

function org() {
  const o = new OrgBuilder();
  const data = o.workspace('Data');
  const analytics = o.workspace('Analytics');
  const prod = o.deployment(data, 'prod');
  const reporting = o.deployment(analytics, 'reporting');
  o.customRole('DAG_VIEWER');
  o.customRole('ANALYTICS_OPERATOR', [analytics]);
  return { o, data, analytics, prod, reporting };
}

const errorsOf = planErrors;

describe('resolveNames', () => {
  it('resolves names and IDs of workspaces, deployments and tokens of both kinds', () => {
    const { o, data, prod } = org();
    const ci = o.workspaceToken(data, 'ci');
    const obs = o.orgToken('observer');
    const r = resolveNames(manifest([
      dep({ id: data.id }, { id: prod.id }, { workspaceTokens: [bind({ id: ci.id }, 'DAG_VIEWER')], organizationTokens: [bind('observer', 'DEPLOYMENT_ADMIN')] }),
    ]), indexActual(o.actual));
    expect(r.errors).toEqual([]);
    expect(r.deployments[0]?.deployment.id).toBe(prod.id);
    expect(r.deployments[0]?.bindings.workspace?.map((b) => b.subject.id)).toEqual([ci.id]);
    expect(r.deployments[0]?.bindings.organization?.map((b) => b.subject.id)).toEqual([obs.id]);
  });

  it('rejects a custom role outside its restricted workspaces, positioned at the role', () => {
    const { o, data } = org();
    o.workspaceToken(data, 'ci');
    const b = bind('ci', 'ANALYTICS_OPERATOR');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [b] })]), o.actual);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ file: FILE, line: b.roleAt.line, col: b.roleAt.col });
    expect(errs[0]?.message).toMatch(/custom role "ANALYTICS_OPERATOR" is restricted to workspace "Analytics"/);
    expect(errs[0]?.message).toContain(
      `valid roles in workspace "Data" (${data.id}): default (as the API lists them) DEPLOYMENT_ACCESSOR, DEPLOYMENT_ADMIN; custom DAG_VIEWER`,
    );
  });

  it('rejects an unknown role, listing the valid names for that workspace', () => {
    const { o, analytics } = org();
    o.workspaceToken(analytics, 'ci');
    const errs = errorsOf(manifest([dep('Analytics', 'reporting', { workspaceTokens: [bind('ci', 'DAG_VEIWER')] })]), o.actual);
    expect(errs.map((e) => e.message)).toEqual([
      `unknown deployment role "DAG_VEIWER" (did you mean "DAG_VIEWER"?); valid roles in workspace "Analytics" (${analytics.id}): default (as the API lists them) DEPLOYMENT_ACCESSOR, DEPLOYMENT_ADMIN; custom ANALYTICS_OPERATOR, DAG_VIEWER`,
    ]);
  });

  it('accepts every default deployment role the API lists, and no role it does not list', () => {
    const { o, data } = org();
    o.workspaceToken(data, 'ci');
    o.workspaceToken(data, 'viewer');
    const ok = makePlan(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ACCESSOR'), bind('viewer', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(ok.errors).toEqual([]);
    expect(ok.plan?.actions.map((a) => a.after)).toEqual(['DEPLOYMENT_ACCESSOR', 'DEPLOYMENT_ADMIN']);
    // The same manifest against an API that lists DEPLOYMENT_ADMIN only: nothing is assumed beyond the list.
    o.actual.defaultRoles = o.actual.defaultRoles.filter((r) => r.name === 'DEPLOYMENT_ADMIN');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DEPLOYMENT_ACCESSOR'), bind('viewer', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(errs.map((e) => e.message)).toEqual([
      `unknown deployment role "DEPLOYMENT_ACCESSOR"; valid roles in workspace "Data" (${data.id}): default (as the API lists them) DEPLOYMENT_ADMIN; custom DAG_VIEWER`,
    ]);
  });

  it('rejects an ambiguous token name, listing every matching ID and asking for tokenId', () => {
    const { o, data } = org();
    const a = o.workspaceToken(data, 'bot');
    const b = o.workspaceToken(data, 'bot');
    const entry = bind('bot', 'DAG_VIEWER');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [entry] })]), o.actual);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ line: entry.subject.at.line });
    expect(errs[0]?.message).toContain(a.id);
    expect(errs[0]?.message).toContain(b.id);
    expect(errs[0]?.message).toContain('`tokenId:`');
  });

  it('names the closest existing token names of the right scope when a token is missing', () => {
    const { o, data, analytics } = org();
    o.workspaceToken(data, 'ci-deployer');
    o.workspaceToken(data, 'ci-deploy');
    o.workspaceToken(data, 'unrelated-name');
    o.workspaceToken(analytics, 'ci-deployerr'); // other workspace: not suggested
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [bind('ci-deployr', 'DAG_VIEWER')] })]), o.actual);
    expect(errs.map((e) => e.message)).toEqual([
      `workspaceTokens: workspace token "ci-deployr" not found in workspace "Data" (${data.id}); did you mean "ci-deploy", "ci-deployer"?`,
    ]);
  });

  it('reports a deployment not found with near names, and a deployment ID of another workspace', () => {
    const { o, reporting, analytics } = org();
    const byName = dep('Data', 'prd', { workspaceTokens: [] });
    const byId = dep('Data', { id: reporting.id }, { workspaceTokens: [] });
    const errs = errorsOf(manifest([byName, byId]), o.actual);
    expect(errs).toEqual([
      expect.objectContaining({ line: byName.deployment.at.line, message: expect.stringMatching(/deployment "prd" not found in workspace "Data" .*did you mean "prod"\?/) }),
      expect.objectContaining({
        line: byId.deployment.at.line,
        message: expect.stringContaining(`belongs to workspace "Analytics" (${analytics.id}), not to workspace "Data"`),
      }),
    ]);
  });

  it('rejects a workspace token used on a deployment of another workspace', () => {
    const { o, analytics } = org();
    const t = o.workspaceToken(analytics, 'reporter');
    const errs = errorsOf(manifest([
      dep('Data', 'prod', { workspaceTokens: [bind({ id: t.id }, 'DAG_VIEWER')] }),
      dep('Data', 'prod', { workspaceTokens: [bind('reporter', 'DAG_VIEWER')] }),
    ]), o.actual);
    // Second deployment is a duplicate too; both token references are reported, by ID and by name.
    expect(errs.filter((e) => e.message.includes(`belongs to workspace "Analytics"`))).toHaveLength(2);
    expect(errs.some((e) => e.message.includes('declared twice'))).toBe(true);
  });

  it('explains that deployment-scoped tokens are not managed', () => {
    const { o, prod } = org();
    o.deploymentToken(prod, 'local');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [bind('local', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toMatch(/is deployment-scoped: deployment-scoped tokens .* are not managed/);
  });

  it('points an organization token listed under workspaceTokens to the right key', () => {
    const { o } = org();
    o.orgToken('observer');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [bind('observer', 'DEPLOYMENT_ADMIN')] })]), o.actual);
    expect(errs[0]?.message).toContain('is an organization token: list it under organizationTokens');
  });

  it('rejects the same token declared twice on one deployment, once by name and once by ID', () => {
    const { o, data } = org();
    const t = o.workspaceToken(data, 'ci');
    const errs = errorsOf(manifest([
      dep('Data', 'prod', { workspaceTokens: [bind('ci', 'DAG_VIEWER'), bind({ id: t.id }, 'DEPLOYMENT_ADMIN')] }),
    ]), o.actual);
    expect(errs.map((e) => e.message)).toEqual([expect.stringContaining('is declared twice on this deployment')]);
  });

  it('collects every error, not the first only, in file order', () => {
    const { o } = org();
    const errs = errorsOf(manifest([
      dep('Nope', 'prod', { workspaceTokens: [] }),
      dep('Data', 'prod', { workspaceTokens: [bind('missing', 'DAG_VIEWER'), bind('also-missing', 'BAD_ROLE')] }),
      dep('Data', 'gone', { workspaceTokens: [] }),
    ]), o.actual);
    expect(errs).toHaveLength(5);
    expect(errs.map((e) => e.line)).toEqual([...errs.map((e) => e.line)].sort((a, b) => a - b));
  });

  it('rejects a workspace name shared by two workspaces, asking for workspaceId', () => {
    const { o } = org();
    const twin = o.workspace('Data');
    const errs = errorsOf(manifest([dep('Data', 'prod', { workspaceTokens: [] })]), o.actual);
    expect(errs[0]?.message).toContain(twin.id);
    expect(errs[0]?.message).toContain('`workspaceId:`');
  });

  it('rejects a manifest for another organization', () => {
    const { o } = org();
    const errs = errorsOf({ ...manifest([]), organizationId: 'cother000000000000000000000' }, o.actual);
    expect(errs[0]?.message).toContain('cother000000000000000000000');
  });
});
