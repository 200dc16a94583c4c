import type { DagRoleEntry, SubjectRoleSet, Team, User } from '../astro/types.ts';

// Users and teams in the emulator's state. Abbreviated objects are filled like the other kinds:
// timestamps 2026-01-01T00:00:00Z, empty role lists, a user ACTIVE with ORGANIZATION_MEMBER unless the
// state says otherwise (organizationRole: null is kept, to emulate a user the API serves without one).

export type StateUser = Partial<User> & { id: string; username: string };
export type StateTeam = Partial<Team> & { id: string; name: string };

const DEFAULT_TIME = '2026-01-01T00:00:00Z';
const DEFAULT_ORG_ROLE = 'ORGANIZATION_MEMBER';

export function normalizeUser(u: StateUser): User {
  const out: User = {
    ...structuredClone(u),
    fullName: u.fullName ?? u.username,
    avatarUrl: u.avatarUrl ?? '',
    status: u.status ?? 'ACTIVE',
    organizationRole: u.organizationRole === undefined ? DEFAULT_ORG_ROLE : u.organizationRole,
    createdAt: u.createdAt ?? DEFAULT_TIME,
    updatedAt: u.updatedAt ?? u.createdAt ?? DEFAULT_TIME,
  };
  return withRoleLists(out);
}

export function normalizeTeam(t: StateTeam, organizationId: string): Team {
  const out: Team = {
    ...structuredClone(t),
    description: t.description ?? '',
    isIdpManaged: t.isIdpManaged ?? false,
    organizationId: t.organizationId ?? organizationId,
    organizationRole: t.organizationRole ?? DEFAULT_ORG_ROLE,
    createdAt: t.createdAt ?? DEFAULT_TIME,
    updatedAt: t.updatedAt ?? t.createdAt ?? DEFAULT_TIME,
  };
  delete out.rolesCount; // computed when served
  return withRoleLists(out);
}

function withRoleLists<T extends SubjectRoleSet>(s: T): T {
  s.workspaceRoles ??= [];
  s.deploymentRoles ??= [];
  s.dagRoles ??= [];
  return s;
}

type IdSet = { has(id: string): boolean };

/** Duplicate IDs and role entries naming workspaces or deployments that do not exist. */
export function checkSubjectReferences(
  kind: 'users' | 'teams',
  subjects: (StateUser | StateTeam)[],
  ws: IdSet,
  deps: IdSet,
): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, s] of subjects.entries()) {
    const where = `${kind}[${i}]`;
    if (ids.has(s.id)) problems.push(`${where}: duplicate id ${s.id}`);
    ids.add(s.id);
    for (const [j, r] of (s.workspaceRoles ?? []).entries()) {
      if (!ws.has(r.workspaceId)) problems.push(`${where}.workspaceRoles[${j}]: unknown workspace ${r.workspaceId}`);
    }
    for (const [j, r] of (s.deploymentRoles ?? []).entries()) {
      if (!deps.has(r.deploymentId)) problems.push(`${where}.deploymentRoles[${j}]: unknown deployment ${r.deploymentId}`);
    }
    for (const [j, r] of (s.dagRoles ?? []).entries()) {
      if (!deps.has(r.deploymentId)) problems.push(`${where}.dagRoles[${j}]: unknown deployment ${r.deploymentId}`);
      if (!oneDagTarget(r)) problems.push(`${where}.dagRoles[${j}]: needs exactly one of dagId and dagTag`);
    }
  }
  return problems;
}

export function oneDagTarget(r: Pick<DagRoleEntry, 'dagId' | 'dagTag'>): boolean {
  return (r.dagId === undefined) !== (r.dagTag === undefined);
}
