import type { ApiToken, ApiTokenRole, BasicSubjectProfile, DefaultRole, Deployment, Role, Team, User, Workspace } from '../astro/types.ts';
import { checkSubjectReferences, normalizeTeam, normalizeUser } from './subjects-state.ts';
import type { StateTeam, StateUser } from './subjects-state.ts';

// The emulator's state, as a JSON file holds it (schemas/emulator-state.schema.json) and as tests build it.
// Objects may be abbreviated; normalizeState fills every required API field with a deterministic default,
// so that each answer validates against the API schema.

export interface StateOrganization {
  id: string;
  name: string;
}
export type StateWorkspace = Partial<Workspace> & { id: string; name: string };
export type StateDeployment = Partial<Deployment> & { id: string; name: string; workspaceId: string };
export type StateRole = Partial<Role> & { id: string; name: string; scopeType: Role['scopeType'] };
export type StateToken = Partial<ApiToken> & { id: string; name: string; scope: ApiToken['scope'] };
export type StateDefaultRole = Partial<DefaultRole> & { name: string; scopeType: DefaultRole['scopeType'] };

export interface EmulatorState {
  $schema?: string;
  organization: StateOrganization;
  workspaces: StateWorkspace[];
  deployments: StateDeployment[];
  /** Custom roles. */
  roles?: StateRole[];
  /** The default roles `includeDefaultRoles=true` lists (and role writes accept); absent: EMULATOR_DEFAULT_ROLES. */
  defaultRoles?: StateDefaultRole[];
  tokens: StateToken[];
  /** Users and teams (IAM): src/emulator/subjects-state.ts. */
  users?: StateUser[];
  teams?: StateTeam[];
}

/** The state with every required field present. A token keeps `roles` absent if it was loaded so. */
export interface NormalizedState extends EmulatorState {
  workspaces: Workspace[];
  deployments: Deployment[];
  roles: Role[];
  defaultRoles: DefaultRole[];
  tokens: ApiToken[];
  users: User[];
  teams: Team[];
}

/**
 * The emulated server's own default roles, when the state file names none. The client never assumes
 * these: it reads them from the roles listing like any server's.
 */
export const EMULATOR_DEFAULT_ROLES: readonly StateDefaultRole[] = [
  ...['OWNER', 'BILLING_ADMIN', 'MEMBER', 'OBSERVE_ADMIN', 'OBSERVE_MEMBER'].map((r) => ({ name: `ORGANIZATION_${r}`, scopeType: 'ORGANIZATION' as const })),
  ...['OWNER', 'OPERATOR', 'AUTHOR', 'MEMBER', 'ACCESSOR'].map((r) => ({ name: `WORKSPACE_${r}`, scopeType: 'WORKSPACE' as const })),
  { name: 'DEPLOYMENT_ADMIN', scopeType: 'DEPLOYMENT', description: 'Full control of a deployment' },
  { name: 'DEPLOYMENT_ACCESSOR', scopeType: 'DEPLOYMENT', description: 'Read-only access to a deployment' },
];

const DEFAULT_TIME = '2026-01-01T00:00:00Z';
const EMULATOR_USER: BasicSubjectProfile = {
  id: 'cemulatoruser00000000000a',
  subjectType: 'USER',
  fullName: 'Emulator Admin',
  username: 'admin@example.com',
};

/** Raised for a state that fails the schema or refers to things that do not exist. */
export class EmulatorStateError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`invalid emulator state ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EmulatorStateError';
    this.problems = problems;
  }
}

export function normalizeState(s: EmulatorState): NormalizedState {
  const org = { id: s.organization.id, name: s.organization.name };
  const workspaces = s.workspaces.map((w) => normalizeWorkspace(w, org));
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const out: NormalizedState = {
    organization: org,
    workspaces,
    deployments: s.deployments.map((d) => normalizeDeployment(d, org, wsName.get(d.workspaceId))),
    roles: (s.roles ?? []).map(normalizeRole),
    defaultRoles: (s.defaultRoles ?? EMULATOR_DEFAULT_ROLES).map(normalizeDefaultRole),
    tokens: s.tokens.map(normalizeToken),
    users: (s.users ?? []).map(normalizeUser),
    teams: (s.teams ?? []).map((t) => normalizeTeam(t, org.id)),
  };
  if (s.$schema !== undefined) out.$schema = s.$schema;
  return out;
}

function normalizeWorkspace(w: StateWorkspace, org: StateOrganization): Workspace {
  return withDefaults<Workspace>(w, {
    organizationId: org.id,
    organizationName: org.name,
    description: '',
    cicdEnforcedDefault: false,
    createdAt: DEFAULT_TIME,
    updatedAt: DEFAULT_TIME,
    createdBy: EMULATOR_USER,
    updatedBy: EMULATOR_USER,
  });
}

function normalizeDeployment(d: StateDeployment, org: StateOrganization, workspaceName: string | undefined): Deployment {
  const short = d.id.slice(-8);
  const host = `${org.id.slice(0, 8)}.astronomer.run`;
  const defaults: Deployment = {
    id: d.id,
    name: d.name,
    workspaceId: d.workspaceId,
    organizationId: org.id,
    status: 'HEALTHY',
    description: '',
    createdAt: DEFAULT_TIME,
    updatedAt: DEFAULT_TIME,
    createdBy: EMULATOR_USER,
    updatedBy: EMULATOR_USER,
    airflowVersion: '2.10.3',
    runtimeVersion: '12.5.0',
    astroRuntimeVersion: '12.5.0',
    apiUrl: `https://api.astronomer.io/v1/organizations/${org.id}/deployments/${d.id}`,
    uiUrl: `https://cloud.astronomer.io/${d.workspaceId}/deployments/${d.id}`,
    webServerUrl: `${host}/d${short}`,
    webServerAirflowApiUrl: `${host}/d${short}/api/v1`,
    webServerIngressHostname: host,
    webServerCpu: '0.5',
    webServerMemory: '1Gi',
    schedulerCpu: '1',
    schedulerMemory: '2Gi',
    schedulerReplicas: 1,
    imageRepository: `images.astronomer.cloud/${org.id}/${d.id}`,
    imageTag: 'deploy-2026-01-01T00-00',
    namespace: `emulated-${short}`,
    isCicdEnforced: false,
    isDagDeployEnabled: true,
  };
  if (workspaceName !== undefined) defaults.workspaceName = workspaceName;
  return withDefaults<Deployment>(d, defaults);
}

function normalizeRole(r: StateRole): Role {
  return withDefaults<Role>(r, {
    description: '',
    restrictedWorkspaceIds: [],
    createdAt: DEFAULT_TIME,
    updatedAt: DEFAULT_TIME,
    createdBy: EMULATOR_USER,
    updatedBy: EMULATOR_USER,
  });
}

function normalizeDefaultRole(r: StateDefaultRole): DefaultRole {
  return withDefaults<DefaultRole>(r, { description: '', permissions: [`${r.scopeType.toLowerCase()}.${r.name.toLowerCase()}`] });
}

function normalizeToken(t: StateToken): ApiToken {
  return withDefaults<ApiToken>(t, {
    description: '',
    shortToken: shortTokenOf(t.id),
    kind: 'STANDARD',
    startAt: DEFAULT_TIME,
    createdAt: DEFAULT_TIME,
    updatedAt: DEFAULT_TIME,
  });
}

/** A copy of `given` (its keys first, for readable answers) with each absent field taken from `defaults`. */
function withDefaults<T>(given: object, defaults: object): T {
  const out: Record<string, unknown> = structuredClone(given) as Record<string, unknown>;
  for (const [k, v] of Object.entries(defaults)) if (out[k] === undefined) out[k] = typeof v === 'object' ? structuredClone(v) : v;
  return out as T;
}

/** A stable stand-in for the token's visible prefix. */
function shortTokenOf(id: string): string {
  return id.slice(-7);
}

type IdSet = { has(id: string): boolean };

/** Problems the schema cannot see: duplicate IDs and references to things that do not exist. */
export function checkReferences(s: EmulatorState): string[] {
  const problems: string[] = [];
  const seen = (kind: string, items: { id: string }[]): Set<string> => {
    const ids = new Set<string>();
    for (const [i, it] of items.entries()) {
      if (ids.has(it.id)) problems.push(`${kind}[${i}]: duplicate id ${it.id}`);
      ids.add(it.id);
    }
    return ids;
  };
  const ws = seen('workspaces', s.workspaces);
  const deps = seen('deployments', s.deployments);
  seen('roles', s.roles ?? []);
  seen('tokens', s.tokens);
  problems.push(...checkSubjectReferences('users', s.users ?? [], ws, deps), ...checkSubjectReferences('teams', s.teams ?? [], ws, deps));
  for (const [i, d] of s.deployments.entries()) {
    if (!ws.has(d.workspaceId)) problems.push(`deployments[${i}] (${d.name}): unknown workspaceId ${d.workspaceId}`);
  }
  for (const [i, r] of (s.roles ?? []).entries()) {
    for (const w of r.restrictedWorkspaceIds ?? []) {
      if (!ws.has(w)) problems.push(`roles[${i}] (${r.name}): unknown restricted workspace ${w}`);
    }
  }
  for (const [i, t] of s.tokens.entries()) {
    for (const [j, role] of (t.roles ?? []).entries()) {
      const where = `tokens[${i}] (${t.name}).roles[${j}]`;
      if (!entityExists(role, s.organization.id, ws, deps)) {
        problems.push(`${where}: unknown ${role.entityType} ${role.deploymentId ?? role.entityId}`);
      }
    }
  }
  return problems;
}

/** Whether a role entry's entity exists (a DAG entry's deployment, for DAG and DAG_TAG); sets or maps of IDs. */
export function entityExists(r: ApiTokenRole, orgId: string, ws: IdSet, deps: IdSet): boolean {
  switch (r.entityType) {
    case 'ORGANIZATION':
      return r.entityId === orgId;
    case 'WORKSPACE':
      return ws.has(r.entityId);
    case 'DEPLOYMENT':
      return deps.has(r.entityId);
    case 'DAG':
    case 'DAG_TAG':
      return r.deploymentId !== undefined && deps.has(r.deploymentId);
  }
}
