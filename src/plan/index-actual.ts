import type { Deployment, Role, Workspace } from '../astro/types.ts';
import type { BindingKind, TokenKind } from '../manifest/types.ts';
import type { Actual, ActualToken } from '../astro/actual.ts';
import { teamSubject, tokenSubject, userSubject } from './subjects.ts';
import type { Subject, TeamSubject, TokenSubject, UserSubject } from './subjects.ts';
import { emailKey } from '../util/email-key.ts';

// One pass over the snapshot builds every lookup the resolver and planner need, so planning stays
// linear in the size of the organization and the manifest.

/** A token's DEPLOYMENT entry, or a user's or team's deploymentRoles entry, as read. */
export interface LiveBinding {
  subject: Subject;
  kind: BindingKind;
  role: string;
}

export interface ActualIndex {
  actual: Actual;
  workspacesById: Map<string, Workspace>;
  workspacesByName: Map<string, Workspace[]>;
  deploymentsById: Map<string, Deployment>;
  /** workspaceId → deployments of that workspace. */
  deploymentsByWorkspace: Map<string, Deployment[]>;
  /** workspaceId → name → deployments. */
  deploymentsByName: Map<string, Map<string, Deployment[]>>;
  tokensById: Map<string, ActualToken>;
  /** Every token of any scope, by name (for hints in errors). */
  tokensByName: Map<string, ActualToken[]>;
  /** workspaceId → WORKSPACE-scoped tokens whose own WORKSPACE role is on it. */
  workspaceTokens: Map<string, ActualToken[]>;
  /** workspaceId → name → workspace tokens. */
  workspaceTokensByName: Map<string, Map<string, ActualToken[]>>;
  orgTokens: ActualToken[];
  orgTokensByName: Map<string, ActualToken[]>;
  /** The planner's one subject object per token, by ID. */
  tokenSubjects: Map<string, TokenSubject>;
  /** Undefined when the live state holds no users (not read). */
  users?: SubjectIndex<UserSubject>;
  /** Undefined when the live state holds no teams (not read). */
  teams?: SubjectIndex<TeamSubject>;
  /**
   * deploymentId → DEPLOYMENT entries of workspace and organization tokens (deployment-scoped excluded),
   * and the deploymentRoles entries of users and teams when they were read.
   */
  bindingsByDeployment: Map<string, LiveBinding[]>;
  /** Custom DEPLOYMENT-scoped roles by name. */
  rolesByName: Map<string, Role[]>;
  /** Names of the API's default DEPLOYMENT roles: valid on every deployment. */
  defaultRoleNames: Set<string>;
}

export interface SubjectIndex<S extends Subject> {
  all: S[];
  byId: Map<string, S>;
  /** Users: by lower-cased username (emails match case-insensitively); teams: by exact name. */
  byName: Map<string, S[]>;
}


export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function nested<V>(map: Map<string, Map<string, V[]>>, outer: string, inner: string, value: V): void {
  let m = map.get(outer);
  if (!m) map.set(outer, (m = new Map()));
  push(m, inner, value);
}

/** The planner's kind for a token scope; deployment-scoped tokens have none (never managed). */
export function kindOfScope(scope: ActualToken['scope']): TokenKind | null {
  return scope === 'WORKSPACE' ? 'workspace' : scope === 'ORGANIZATION' ? 'organization' : null;
}

/** The workspaces a workspace token belongs to: its own WORKSPACE role entries. */
export function tokenWorkspaceIds(token: ActualToken): string[] {
  return token.roles.filter((r) => r.entityType === 'WORKSPACE').map((r) => r.entityId);
}

export function indexActual(actual: Actual): ActualIndex {
  const ix: ActualIndex = {
    actual,
    workspacesById: new Map(),
    workspacesByName: new Map(),
    deploymentsById: new Map(),
    deploymentsByWorkspace: new Map(),
    deploymentsByName: new Map(),
    tokensById: new Map(),
    tokensByName: new Map(),
    workspaceTokens: new Map(),
    workspaceTokensByName: new Map(),
    orgTokens: [],
    orgTokensByName: new Map(),
    tokenSubjects: new Map(),
    bindingsByDeployment: new Map(),
    rolesByName: new Map(),
    defaultRoleNames: new Set(actual.defaultRoles.filter((r) => r.scopeType === 'DEPLOYMENT').map((r) => r.name)),
  };
  for (const w of actual.workspaces) {
    ix.workspacesById.set(w.id, w);
    push(ix.workspacesByName, w.name, w);
  }
  for (const d of actual.deployments) {
    ix.deploymentsById.set(d.id, d);
    push(ix.deploymentsByWorkspace, d.workspaceId, d);
    nested(ix.deploymentsByName, d.workspaceId, d.name, d);
  }
  for (const t of actual.tokens) {
    ix.tokensById.set(t.id, t);
    push(ix.tokensByName, t.name, t);
    const kind = kindOfScope(t.scope);
    if (kind === 'workspace') {
      for (const wsId of new Set(tokenWorkspaceIds(t))) {
        push(ix.workspaceTokens, wsId, t);
        nested(ix.workspaceTokensByName, wsId, t.name, t);
      }
    } else if (kind === 'organization') {
      ix.orgTokens.push(t);
      push(ix.orgTokensByName, t.name, t);
    }
    if (kind === null) continue;
    const subject = tokenSubject(t);
    ix.tokenSubjects.set(t.id, subject);
    for (const r of t.roles) {
      if (r.entityType === 'DEPLOYMENT') push(ix.bindingsByDeployment, r.entityId, { subject, kind, role: r.role });
    }
  }
  if (actual.users !== undefined) {
    ix.users = subjectIndex(actual.users.map(userSubject), (s) => emailKey(s.name));
    indexDeploymentRoles(ix, ix.users.all, 'user');
  }
  if (actual.teams !== undefined) {
    ix.teams = subjectIndex(actual.teams.map(teamSubject), (s) => s.name);
    indexDeploymentRoles(ix, ix.teams.all, 'team');
  }
  for (const r of actual.roles) {
    if (r.scopeType === 'DEPLOYMENT') push(ix.rolesByName, r.name, r);
  }
  return ix;
}

function subjectIndex<S extends Subject>(all: S[], nameKey: (s: S) => string): SubjectIndex<S> {
  const index: SubjectIndex<S> = { all, byId: new Map(), byName: new Map() };
  for (const s of all) {
    index.byId.set(s.id, s);
    push(index.byName, nameKey(s), s);
  }
  return index;
}

function indexDeploymentRoles(ix: ActualIndex, subjects: readonly (UserSubject | TeamSubject)[], kind: 'user' | 'team'): void {
  for (const subject of subjects) {
    const entries = subject.type === 'user' ? subject.user.deploymentRoles : subject.team.deploymentRoles;
    for (const r of entries) push(ix.bindingsByDeployment, r.deploymentId, { subject, kind, role: r.role });
  }
}
