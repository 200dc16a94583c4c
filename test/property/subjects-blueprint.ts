import fc from 'fast-check';
import type { DagRoleEntry, DeploymentRoleEntry, WorkspaceRoleEntry } from '../../src/astro/types.ts';
import type { EmulatorState } from '../../src/emulator/index.ts';
import type { StateTeam, StateUser } from '../../src/emulator/subjects-state.ts';
import { ORG, type Deployed } from './blueprint.ts';

// Random organizations whose users and teams hold organization, workspace, deployment and DAG roles, and
// random manifests declaring users (by email in random case, or userId) and teams (by name or teamId),
// some grants with an `expires` before or after a fixed `now`. Generated from plain numbers, so
// fast-check shrinks a failure to a small case. The states are ones the server could have produced:
// a deployment role always comes with a role on its workspace, a DAG role with a role on its deployment.

/** When the plans are made. */
export const NOW = Date.parse('2026-06-15T12:00:00Z');

/**
 * `expires` texts and whether each has ended at NOW, worked out by hand: a date holds until 00:00Z of
 * the next day; a date-time is the first instant the grant no longer holds.
 */
export const EXPIRIES: readonly (readonly [text: string, ended: boolean])[] = [
  ['2026-06-14', true],
  ['2026-06-15', false],
  ['2025-12-31', true],
  ['2027-01-01', false],
  ['2026-06-15T12:00:00Z', true],
  ['2026-06-15T12:00:01Z', false],
  ['2026-06-15T14:00:00+02:00', true],
  ['2026-06-15T08:00:01-04:00', false],
];

const ORG_ROLES = ['ORGANIZATION_MEMBER', 'ORGANIZATION_OWNER', 'ORGANIZATION_BILLING_ADMIN', 'ORGANIZATION_OBSERVE_ADMIN', 'ORGANIZATION_OBSERVE_MEMBER'];
export const WORKSPACE_ROLES = ['WORKSPACE_OWNER', 'WORKSPACE_OPERATOR', 'WORKSPACE_AUTHOR', 'WORKSPACE_MEMBER', 'WORKSPACE_ACCESSOR'];
const id = (kind: string, i: number): string => `c${kind}${String(i).padStart(23, '0')}`;
const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/** The letters of `s` upper-cased where the bits of `mask` say (cycling). */
export function mixCase(s: string, mask: number): string {
  return [...s].map((ch, i) => ((mask >> (i % 30)) & 1 ? ch.toUpperCase() : ch)).join('');
}

const subjectArb = fc.record({
  /** 10: no organization role (a pending user; teams always have one). */
  orgRole: fc.nat(10),
  ignored: fc.nat(4),
  nameCase: fc.nat(),
  workspaces: fc.array(fc.record({ ws: fc.nat(5), role: fc.nat(4) }), { maxLength: 2 }),
  deployments: fc.array(fc.record({ deployment: fc.nat(20), role: fc.nat(5) }), { maxLength: 3 }),
  dags: fc.array(fc.record({ on: fc.nat(5), dag: fc.nat(2), tag: fc.boolean(), author: fc.boolean() }), { maxLength: 2 }),
});

const declarationArb = fc.record({
  subject: fc.nat(20),
  role: fc.nat(5),
  byId: fc.boolean(),
  nameCase: fc.nat(),
  /** Past the list: no expires. */
  expires: fc.nat(EXPIRIES.length + 5),
  quoted: fc.boolean(),
});

export const subjectsBlueprintArb = fc.record({
  deploymentsPerWorkspace: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  customRoles: fc.array(fc.array(fc.nat(2), { maxLength: 2 }), { maxLength: 2 }),
  users: fc.array(subjectArb, { minLength: 1, maxLength: 6 }),
  teams: fc.array(subjectArb, { maxLength: 4 }),
  manifest: fc.record({
    prune: fc.option(fc.boolean(), { nil: undefined }),
    ignore: fc.boolean(),
    managed: fc.array(
      fc.record({
        deployment: fc.nat(20),
        byId: fc.boolean(),
        prune: fc.option(fc.boolean(), { nil: undefined }),
        users: fc.option(fc.array(declarationArb, { maxLength: 4 }), { nil: undefined }),
        teams: fc.option(fc.array(declarationArb, { maxLength: 3 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
});
export type SubjectsBlueprint = typeof subjectsBlueprintArb extends fc.Arbitrary<infer T> ? T : never;

export type Kind = 'user' | 'team';

/** A user's or team's role set as the oracle compares it. */
export interface Roles {
  organizationRole: string | null;
  workspaceRoles: WorkspaceRoleEntry[];
  deploymentRoles: DeploymentRoleEntry[];
  dagRoles: DagRoleEntry[];
}

export interface SubjectsManaged {
  deployment: Deployed;
  prune: boolean;
  /** Subject ID → declared role, for the declarations in force at NOW (expired ones left out); undefined: kind not managed. */
  user?: Map<string, string>;
  team?: Map<string, string>;
}

export interface SubjectsCase {
  state: EmulatorState;
  yaml: string;
  managed: SubjectsManaged[];
  /** IDs of the subjects the manifest's ignore glob matches. */
  ignored: Set<string>;
  /** Deployment ID → its workspace ID. */
  workspaceOf: Map<string, string>;
  /** Declarations written with an expires that has ended / not ended at NOW (each counted once). */
  expiries: { ended: number; running: number };
}

export function buildSubjectsCase(bp: SubjectsBlueprint): SubjectsCase {
  const workspaces = bp.deploymentsPerWorkspace.map((_, w) => ({ id: id('w', w), name: `ws-${w}` }));
  const deployments: Deployed[] = bp.deploymentsPerWorkspace.flatMap((n, w) =>
    Array.from({ length: n }, (_, d) => ({ id: id('d', w * 10 + d), name: `dep-${d}`, workspaceId: workspaces[w]!.id, workspaceName: workspaces[w]!.name })),
  );
  const workspaceOf = new Map(deployments.map((d) => [d.id, d.workspaceId]));
  const roles = bp.customRoles.map((restricted, r) => ({
    id: id('r', r),
    name: `CUSTOM_${r}`,
    scopeType: 'DEPLOYMENT' as const,
    restrictedWorkspaceIds: [...new Set(restricted.map((w) => workspaces[w % workspaces.length]!.id))],
  }));
  const allowed = (d: Deployed): string[] => [
    'DEPLOYMENT_ADMIN',
    ...roles.filter((r) => r.restrictedWorkspaceIds.length === 0 || r.restrictedWorkspaceIds.includes(d.workspaceId)).map((r) => r.name),
  ];

  const ignored = new Set<string>();
  const rolesOf = (s: SubjectsBlueprint['users'][number], kind: Kind): Roles => {
    const ws = new Map<string, string>();
    for (const w of s.workspaces) ws.set(workspaces[w.ws % workspaces.length]!.id, WORKSPACE_ROLES[w.role]!);
    const deps = new Map<string, string>();
    for (const b of s.deployments) {
      const d = deployments[b.deployment % deployments.length]!;
      deps.set(d.id, pick(allowed(d), b.role)!);
      // The server gives a deployment role without a workspace role its Workspace Accessor.
      if (!ws.has(d.workspaceId)) ws.set(d.workspaceId, 'WORKSPACE_ACCESSOR');
    }
    const dags = new Map<string, DagRoleEntry>();
    for (const g of s.dags) {
      const deploymentId = pick([...deps.keys()], g.on);
      if (deploymentId === undefined) continue;
      const target = g.tag ? { dagTag: `tag_${g.dag}` } : { dagId: `dag_${g.dag}` };
      dags.set(JSON.stringify([deploymentId, target]), { deploymentId, role: g.author ? 'DAG_AUTHOR' : 'DAG_VIEWER', ...target });
    }
    const org = s.orgRole === 10 && kind === 'user' ? null : ORG_ROLES[s.orgRole % ORG_ROLES.length]!;
    return {
      organizationRole: org,
      workspaceRoles: [...ws].map(([workspaceId, role]) => ({ workspaceId, role })),
      deploymentRoles: [...deps].map(([deploymentId, role]) => ({ deploymentId, role })),
      dagRoles: [...dags.values()],
    };
  };
  const users: StateUser[] = bp.users.map((u, i) => {
    const userId = id('u', i);
    if (u.ignored === 0 && bp.manifest.ignore) ignored.add(userId);
    return { id: userId, username: mixCase(u.ignored === 0 ? `ign-${i}@example.com` : `user-${i}@example.com`, u.nameCase), ...rolesOf(u, 'user') };
  });
  const teams: StateTeam[] = bp.teams.map((t, i) => {
    const teamId = id('g', i);
    if (t.ignored === 0 && bp.manifest.ignore) ignored.add(teamId);
    return { id: teamId, name: t.ignored === 0 ? `ign-team ${i}` : `Team ${i}`, ...(rolesOf(t, 'team') as Roles & { organizationRole: string }) };
  });

  const expiries = { ended: 0, running: 0 };
  const managed = new Map<string, SubjectsManaged & { byId: boolean; lines: string[] }>();
  for (const m of bp.manifest.managed) {
    const d = deployments[m.deployment % deployments.length]!;
    if (managed.has(d.id)) continue;
    const entry: SubjectsManaged & { byId: boolean; lines: string[] } = { deployment: d, prune: m.prune ?? bp.manifest.prune ?? true, byId: m.byId, lines: [] };
    if (m.prune !== undefined) entry.lines.push(`        prune: ${m.prune}`);
    // Neither list: manage users, declaring none.
    const lists = [
      ['user', 'users', m.users ?? (m.teams === undefined ? [] : undefined), users.map((u) => [u.id, u.username] as const)],
      ['team', 'teams', m.teams, teams.map((t) => [t.id, t.name] as const)],
    ] as const;
    for (const [kind, key, declared, candidates] of lists) {
      if (declared === undefined) continue;
      const inForce = new Map<string, string>();
      const seen = new Set<string>();
      const lines: string[] = [];
      for (const b of declared) {
        const subject = pick(candidates, b.subject);
        if (!subject || seen.has(subject[0])) continue;
        seen.add(subject[0]);
        const role = pick(allowed(d), b.role)!;
        const [subjectId, name] = subject;
        const ref = b.byId
          ? `${kind}Id: ${subjectId}`
          : `${kind}: ${b.quoted ? JSON.stringify(name) : kind === 'user' ? mixCase(name.toLowerCase(), b.nameCase) : name}`;
        lines.push(`          - ${ref}`, `            role: ${role}`);
        const expiry = EXPIRIES[b.expires];
        if (expiry !== undefined) {
          const [text, ended] = expiry;
          lines.push(`            expires: ${b.quoted ? JSON.stringify(text) : text}`);
          if (ended) expiries.ended++;
          else expiries.running++;
          if (ended) continue;
        }
        inForce.set(subjectId, role);
      }
      entry[kind] = inForce;
      entry.lines.push(lines.length === 0 ? `        ${key}: []` : `        ${key}:`, ...lines);
    }
    managed.set(d.id, entry);
  }

  const yaml = [`version: 1`, `organizationId: ${ORG}`];
  if (bp.manifest.prune !== undefined) yaml.push(`prune: ${bp.manifest.prune}`);
  // Emails match case-insensitively, team names exactly: IGN-* ignores the ign- users and no team.
  if (bp.manifest.ignore) yaml.push(`ignore: ["IGN-*", "ign-team *"]`);
  yaml.push('workspaces:');
  for (const [w, ws] of workspaces.entries()) {
    const mine = [...managed.values()].filter((m) => m.deployment.workspaceId === ws.id);
    if (mine.length === 0) continue;
    yaml.push(w % 2 === 0 ? `  - workspace: ${ws.name}` : `  - workspaceId: ${ws.id}`, '    deployments:');
    for (const m of mine) yaml.push(m.byId ? `      - deploymentId: ${m.deployment.id}` : `      - deployment: ${m.deployment.name}`, ...m.lines);
  }

  return {
    state: {
      organization: { id: ORG, name: 'Property Org' },
      workspaces,
      deployments: deployments.map(({ id: depId, name, workspaceId }) => ({ id: depId, name, workspaceId })),
      roles,
      tokens: [],
      users,
      teams,
    },
    yaml: yaml.join('\n') + '\n',
    managed: [...managed.values()].map(({ byId: _b, lines: _l, ...m }) => m),
    ignored,
    workspaceOf,
    expiries,
  };
}
