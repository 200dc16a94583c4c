import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiTokenRole, Deployment, Role, Workspace } from '../../src/astro/types.ts';
import { exportManifest } from '../../src/commands/export-manifest.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import type { Actual, ActualToken } from '../../src/astro/actual.ts';
import { makePlan } from '../../src/plan/planner.ts';

// Export writes only what plan reads back: for any organization, with names made of escapes, line
// breaks that start `::error` or `FAKE`, bidi overrides, YAML syntax and lone surrogates, `export` then
// `plan` on its output shows no changes, or export refuses (only when a value cannot be carried).

const HOSTILE = ['a', 'b', ' ', '\x1b[31m', '\x1b]0;title\x07', '\n::error ::x', '\nFAKE', '\r', '\u202e', '\u2066', '\u200b',
  '\u0000', '\x7f', '\x85', '\x9b', '\ufeff', '\ufffe', '"', "'", ': ', ' #', '- ', 'yes', '*', '&x', '!t', '%', '{', '[', '\\',
  '\ud800', '😀', '\t'];
const nameArb = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 5 }).map((p) => p.join(''));
const BAD_IDS = ['c000000000000000000000001\nFAKE: 1', 'C000000000000000000000001', 'x', ''];

const stamp = '2026-01-01T00:00:00Z';
const cuid = (kind: string, i: number) => `c${kind}${String(i).padStart(24 - kind.length, '0')}`;

const stateArb = fc.record({
  workspaces: fc.array(nameArb, { minLength: 1, maxLength: 3 }),
  deployments: fc.array(fc.record({ ws: fc.nat(5), name: nameArb }), { minLength: 1, maxLength: 5 }),
  roles: fc.array(fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 3 }).map((p) => p.join('')), { maxLength: 2 }),
  tokens: fc.array(
    fc.record({ org: fc.boolean(), ws: fc.nat(5), name: nameArb, bindings: fc.array(fc.record({ dep: fc.nat(9), role: fc.nat(3) }), { maxLength: 3 }) }),
    { maxLength: 6 },
  ),
  badId: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 5 },
    { arbitrary: fc.record({ where: fc.constantFrom('workspace', 'deployment', 'token'), value: fc.constantFrom(...BAD_IDS) }), weight: 1 },
  ),
});

type State = typeof stateArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: State): Actual {
  const org = cuid('o', 1);
  const workspaces: Workspace[] = s.workspaces.map((name, i) => ({ id: cuid('w', i), name, organizationId: org, cicdEnforcedDefault: false, createdAt: stamp, updatedAt: stamp }));
  const deployments: Deployment[] = s.deployments.map((d, i) => {
    const ws = workspaces[d.ws % workspaces.length] as Workspace;
    return { id: cuid('d', i), name: d.name, workspaceId: ws.id, organizationId: org, status: 'HEALTHY', createdAt: stamp, updatedAt: stamp };
  });
  const roles: Role[] = s.roles.map((name, i) => ({ id: cuid('r', i), name, scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [], createdAt: stamp, updatedAt: stamp, createdBy: { id: 'u' }, updatedBy: { id: 'u' } }));
  const roleNames = ['DEPLOYMENT_ADMIN', ...s.roles];
  const tokens: ActualToken[] = s.tokens.map((t, i) => {
    const ws = workspaces[t.ws % workspaces.length] as Workspace;
    const own: ApiTokenRole = t.org
      ? { entityType: 'ORGANIZATION', entityId: org, role: 'ORGANIZATION_MEMBER' }
      : { entityType: 'WORKSPACE', entityId: ws.id, role: 'WORKSPACE_MEMBER' };
    const bound = new Map<string, string>();
    for (const b of t.bindings) {
      const candidates = t.org ? deployments : deployments.filter((d) => d.workspaceId === ws.id);
      const dep = candidates[b.dep % Math.max(1, candidates.length)];
      if (dep !== undefined) bound.set(dep.id, roleNames[b.role % roleNames.length] as string);
    }
    const rolesOf: ApiTokenRole[] = [own, ...[...bound].map(([id, role]) => ({ entityType: 'DEPLOYMENT' as const, entityId: id, role }))];
    return { id: cuid('t', i), name: t.name, description: '', shortToken: 's', scope: t.org ? 'ORGANIZATION' : 'WORKSPACE', kind: 'STANDARD', startAt: stamp, createdAt: stamp, updatedAt: stamp, roles: rolesOf };
  });
  const defaultRoles = ['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR'].map((name) => ({ name, scopeType: 'DEPLOYMENT' as const, permissions: [] }));
  const actual: Actual = { organizationId: org, workspaces, deployments, tokens, roles, defaultRoles };
  if (s.badId !== undefined) {
    const list: { id: string }[] = s.badId.where === 'workspace' ? workspaces : s.badId.where === 'deployment' ? deployments : tokens.filter((t) => t.roles.length > 1);
    const target = list[0];
    if (target !== undefined) {
      const old = target.id;
      target.id = s.badId.value;
      for (const d of deployments) if (d.workspaceId === old) d.workspaceId = target.id;
      for (const t of tokens) for (const r of t.roles) if (r.entityId === old) r.entityId = target.id;
    }
  }
  return actual;
}

const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/;

describe('export then plan', () => {
  it('shows no changes for any organization, or export refuses a value it cannot carry', () => {
    let roundTrips = 0;
    let refusals = 0;
    fc.assert(
      fc.property(stateArb, (s) => {
        const actual = build(s);
        const { text, problems } = exportManifest(actual, { workspaces: [] });
        expect(text).not.toMatch(RAW_UNSAFE);
        const hostileId = [...actual.workspaces, ...actual.deployments, ...actual.tokens].some((x) => !/^c[0-9a-z]{24}$/.test(x.id));
        const unwritableRole = actual.tokens.some((t) => t.roles.some((r) => r.entityType === 'DEPLOYMENT' && (r.role === '' || /[\ud800-\udfff]/.test(r.role))));
        if (problems.length > 0) {
          expect(hostileId || unwritableRole).toBe(true);
          refusals++;
          return;
        }
        // Every line is one the exporter meant: a key, a list item or a comment, never a value's own line.
        for (const line of text.split('\n')) expect(line).toMatch(/^( *#.*|version: 1|organizationId: c[0-9a-z]{24}|workspaces:( \[\])?| +(- )?[A-Za-z]+:.*|)$/);
        const loaded = loadManifestSources([{ file: 'export.yaml', text }]);
        expect(loaded.errors).toEqual([]);
        const desired = loaded.desired;
        if (desired === undefined) throw new Error('no manifest');
        const { plan, errors } = makePlan(desired, actual);
        expect(errors).toEqual([]);
        expect(plan?.actions).toEqual([]);
        roundTrips++;
      }),
      { numRuns: 400 },
    );
    // Both outcomes were exercised, and mostly the round trip.
    expect(roundTrips).toBeGreaterThan(250);
    expect(refusals).toBeGreaterThan(0);
  });
});
