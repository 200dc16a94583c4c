import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actual, ActualTeam, ActualUser } from '../../src/astro/actual.ts';
import type { Deployment, Workspace } from '../../src/astro/types.ts';
import { exportManifest } from '../../src/commands/export-manifest.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import { makePlan } from '../../src/plan/planner.ts';
import { declaredSubjectBindings, liveSubjectBindings } from '../support/subject-bindings.ts';

// Export of users and teams writes only what the manifest loader reads back as the live bindings: for any
// organization whose usernames and team names hold escapes, line breaks that start `::error`, bidi
// overrides, YAML syntax, white space, lone surrogates, names shared by several teams and emails equal but
// for case, the exported manifest loads without errors and declares exactly the live user and team
// bindings, and plan on it proposes no action.

const PIECES = ['a', 'B', '.', '+', '-', '_', ' ', '\x1b[31m', '\n::error ::x', '\r', '\u202e', '\u2066', '\u200b', '\u0000', '\x7f', '\x85',
  '\ufeff', '\ufffe', '"', "'", ':', '#', '- ', 'yes', '*', '&x', '!t', '%', '{', '[', '\\', '\ud800', '😀', '\t', '@'];
const part = fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((p) => p.join(''));
/** Everyday addresses (some equal but for case) and hostile ones. */
const emailArb = fc.oneof(
  fc.constantFrom('jane.doe@example.com', 'Jane.Doe@Example.com', 'ops+oncall@example.com', 'x@y'),
  fc.tuple(part, part).map(([l, d]) => `${l}@${d}`),
  part,
);
const teamNameArb = fc.oneof(fc.constantFrom('Data Engineering', 'Ops', 'true', ''), part);
const bindingsArb = fc.array(fc.record({ dep: fc.nat(5), role: fc.nat(2) }), { maxLength: 3 });

const stateArb = fc.record({
  deployments: fc.array(fc.nat(1), { minLength: 1, maxLength: 4 }),
  users: fc.array(fc.record({ email: emailArb, bindings: bindingsArb, active: fc.boolean() }), { maxLength: 6 }),
  teams: fc.array(fc.record({ name: teamNameArb, bindings: bindingsArb, idp: fc.boolean() }), { maxLength: 5 }),
});
type State = typeof stateArb extends fc.Arbitrary<infer T> ? T : never;

const stamp = '2026-01-01T00:00:00Z';
const cuid = (kind: string, i: number) => `c${kind}${String(i).padStart(24 - kind.length, '0')}`;
const ROLES = ['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR', 'DAG_VIEWER'];

function build(s: State): Actual {
  const org = cuid('o', 1);
  const workspaces: Workspace[] = ['Data Platform', 'Analytics'].map((name, i) => ({ id: cuid('w', i), name, organizationId: org, cicdEnforcedDefault: false, createdAt: stamp, updatedAt: stamp }));
  const deployments: Deployment[] = s.deployments.map((ws, i) => ({ id: cuid('d', i), name: `d${i}`, workspaceId: workspaces[ws]!.id, organizationId: org, status: 'HEALTHY', createdAt: stamp, updatedAt: stamp }));
  // One role per subject and deployment, as the API keeps them.
  const rolesOn = (bindings: State['users'][number]['bindings']) => [
    ...new Map(bindings.map((b) => [deployments[b.dep % deployments.length]!.id, ROLES[b.role % ROLES.length]!])),
  ].map(([deploymentId, role]) => ({ deploymentId, role }));
  const users: ActualUser[] = s.users.map((u, i) => ({
    id: cuid('u', i), username: u.email, fullName: u.email, avatarUrl: '', status: u.active ? 'ACTIVE' : 'PENDING', organizationRole: 'ORGANIZATION_MEMBER',
    createdAt: stamp, updatedAt: stamp, workspaceRoles: [], deploymentRoles: rolesOn(u.bindings), dagRoles: [],
  }));
  const teams: ActualTeam[] = s.teams.map((t, i) => ({
    id: cuid('t', i), name: t.name, description: '', isIdpManaged: t.idp, organizationId: org, organizationRole: 'ORGANIZATION_MEMBER',
    createdAt: stamp, updatedAt: stamp, workspaceRoles: [], deploymentRoles: rolesOn(t.bindings), dagRoles: [],
  }));
  const defaultRoles = ROLES.map((name) => ({ name, scopeType: 'DEPLOYMENT' as const, permissions: [] }));
  return { organizationId: org, workspaces, deployments, tokens: [], roles: [], defaultRoles, users, teams };
}

const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/;

describe('export of users and teams, then load and plan', () => {
  it('declares exactly the live user and team bindings, and plan proposes nothing', () => {
    let byId = 0;
    let byName = 0;
    fc.assert(
      fc.property(stateArb, (s) => {
        const actual = build(s);
        const { text, problems } = exportManifest(actual, { workspaces: [] });
        expect(problems).toEqual([]);
        expect(text).not.toMatch(RAW_UNSAFE);
        for (const line of text.split('\n')) expect(line).toMatch(/^( *#.*|version: 1|organizationId: c[0-9a-z]{24}|workspaces:( \[\])?| +(- )?[A-Za-z]+:.*|)$/);
        const loaded = loadManifestSources([{ file: 'export.yaml', text }]);
        expect(loaded.errors).toEqual([]);
        const desired = loaded.desired;
        if (desired === undefined) throw new Error('no manifest');
        expect(declaredSubjectBindings(desired, actual)).toEqual(liveSubjectBindings(actual));
        const { plan, errors } = makePlan(desired, actual, { now: Date.parse(stamp) });
        expect(errors).toEqual([]);
        expect(plan?.actions).toEqual([]);
        byId += (text.match(/- (userId|teamId):/g) ?? []).length;
        byName += (text.match(/- (user|team):/g) ?? []).length;
      }),
      { numRuns: 200 },
    );
    // Both ways of naming a subject were exercised.
    expect(byId).toBeGreaterThan(50);
    expect(byName).toBeGreaterThan(50);
  });
});
