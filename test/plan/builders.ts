import type { Deployment, Role, UserStatus, Workspace } from '../../src/astro/types.ts';
import { expect } from 'vitest';
import type { Desired, DesiredBinding, DesiredDeployment, Diagnostic, Reference, SourceLocation } from '../../src/manifest/types.ts';
import type { Actual, ActualTeam, ActualToken, ActualUser } from '../../src/astro/actual.ts';
import { parseExpiry } from '../../src/manifest/expiry.ts';
import { makePlan } from '../../src/plan/planner.ts';
import type { Plan } from '../../src/plan/types.ts';

// Small builders for planner inputs: an organization (Actual) and a manifest (Desired) in a few lines.

const T = '2026-01-01T00:00:00Z';
export const ORG = 'clx42kkcm01fo01o06agtmshg';
export const FILE = 'astro-access.yaml';
/** The default deployment roles the builder's organization offers, as the API's defaultRoles would list them. */
export const DEFAULT_DEPLOYMENT_ROLES = ['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR'];

export class OrgBuilder {
  readonly actual: Actual = {
    organizationId: ORG, workspaces: [], deployments: [], tokens: [], roles: [],
    defaultRoles: DEFAULT_DEPLOYMENT_ROLES.map((name) => ({ name, scopeType: 'DEPLOYMENT' as const, permissions: [] })),
  };
  private n = 0;

  nextId(): string {
    return 'c' + String(++this.n).padStart(24, '0');
  }

  workspace(name: string, id = this.nextId()): Workspace {
    const w: Workspace = { id, name, organizationId: ORG, cicdEnforcedDefault: false, createdAt: T, updatedAt: T };
    this.actual.workspaces.push(w);
    return w;
  }

  deployment(ws: Workspace, name: string, id = this.nextId()): Deployment {
    const d: Deployment = {
      id, name, workspaceId: ws.id, workspaceName: ws.name, organizationId: ORG, status: 'HEALTHY', createdAt: T, updatedAt: T,
    };
    this.actual.deployments.push(d);
    return d;
  }

  private token(name: string, scope: ActualToken['scope'], roles: ActualToken['roles'], id: string): ActualToken {
    const t: ActualToken = {
      id, name, description: '', shortToken: id.slice(-6), scope, kind: 'STANDARD', roles, startAt: T, createdAt: T, updatedAt: T,
    };
    this.actual.tokens.push(t);
    return t;
  }

  /** A workspace token with its own WORKSPACE role on `ws` and the given deployment roles. */
  workspaceToken(ws: Workspace, name: string, bindings: [Deployment, string][] = [], id = this.nextId()): ActualToken {
    return this.token(name, 'WORKSPACE', [
      { entityType: 'WORKSPACE', entityId: ws.id, role: 'WORKSPACE_MEMBER' },
      ...deploymentEntries(bindings),
    ], id);
  }

  orgToken(name: string, bindings: [Deployment, string][] = [], id = this.nextId()): ActualToken {
    return this.token(name, 'ORGANIZATION', [
      { entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' },
      ...deploymentEntries(bindings),
    ], id);
  }

  deploymentToken(dep: Deployment, name: string, id = this.nextId()): ActualToken {
    return this.token(name, 'DEPLOYMENT', deploymentEntries([[dep, 'DEPLOYMENT_ADMIN']]), id);
  }

  /** Users and teams are read (present, maybe empty) only once one is made or this is called. */
  readUsers(): ActualUser[] {
    return (this.actual.users ??= []);
  }

  readTeams(): ActualTeam[] {
    return (this.actual.teams ??= []);
  }

  /** A user with an organization role, the given deployment roles, and optionally more of its role set. */
  user(
    email: string,
    bindings: [Deployment, string][] = [],
    more: { id?: string; status?: UserStatus; dagRoles?: ActualUser['dagRoles']; workspaceRoles?: ActualUser['workspaceRoles'] } = {},
  ): ActualUser {
    const u: ActualUser = {
      id: more.id ?? this.nextId(), username: email, fullName: email.split('@')[0] ?? email, avatarUrl: '',
      status: more.status ?? 'ACTIVE', organizationRole: 'ORGANIZATION_MEMBER', createdAt: T, updatedAt: T,
      workspaceRoles: more.workspaceRoles ?? [],
      deploymentRoles: bindings.map(([d, role]) => ({ deploymentId: d.id, role })),
      dagRoles: more.dagRoles ?? [],
    };
    this.readUsers().push(u);
    return u;
  }

  team(
    name: string,
    bindings: [Deployment, string][] = [],
    more: { id?: string; isIdpManaged?: boolean; dagRoles?: ActualTeam['dagRoles']; workspaceRoles?: ActualTeam['workspaceRoles'] } = {},
  ): ActualTeam {
    const t: ActualTeam = {
      id: more.id ?? this.nextId(), name, isIdpManaged: more.isIdpManaged ?? false, organizationId: ORG,
      organizationRole: 'ORGANIZATION_MEMBER', createdAt: T, updatedAt: T,
      workspaceRoles: more.workspaceRoles ?? [],
      deploymentRoles: bindings.map(([d, role]) => ({ deploymentId: d.id, role })),
      dagRoles: more.dagRoles ?? [],
    };
    this.readTeams().push(t);
    return t;
  }

  customRole(name: string, restrictedTo: Workspace[] = []): Role {
    const who = { id: 'cu1', subjectType: 'USER' as const };
    const r: Role = {
      id: this.nextId(), name, scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: restrictedTo.map((w) => w.id),
      createdAt: T, updatedAt: T, createdBy: who, updatedBy: who,
    };
    this.actual.roles.push(r);
    return r;
  }
}

function deploymentEntries(bindings: [Deployment, string][]): ActualToken['roles'] {
  return bindings.map(([d, role]) => ({ entityType: 'DEPLOYMENT' as const, entityId: d.id, role }));
}

// Manifest side: every node gets its own line so sources and diagnostics can be told apart.
let line = 0;
const at = (): SourceLocation => ({ file: FILE, line: ++line, col: 7 });

/** A reference by name (a string) or by ID ({ id }). */
export type Ref = string | { id: string };
export function ref(r: Ref): Reference {
  return typeof r === 'string' ? { name: r, at: at() } : { id: r.id, at: at() };
}

/** A list entry; `expires` as written in a manifest (parsed by the manifest's own parser). */
export function bind(subject: Ref, role: string, expires?: string): DesiredBinding {
  const b: DesiredBinding = { at: at(), subject: ref(subject), role, roleAt: at() };
  if (expires !== undefined) {
    const parsed = parseExpiry(expires);
    if (!('endsAt' in parsed)) throw new Error(`bad expires in a test: ${parsed.problem}`);
    b.expires = { text: expires, endsAt: parsed.endsAt, at: at() };
  }
  return b;
}

export function dep(
  workspace: Ref,
  deployment: Ref,
  kinds: {
    workspaceTokens?: DesiredBinding[]; organizationTokens?: DesiredBinding[]; users?: DesiredBinding[]; teams?: DesiredBinding[]; prune?: boolean;
  } = {},
): DesiredDeployment {
  const d: DesiredDeployment = { at: at(), workspace: ref(workspace), deployment: ref(deployment), prune: kinds.prune ?? true };
  if (kinds.workspaceTokens) d.workspaceTokens = kinds.workspaceTokens;
  if (kinds.organizationTokens) d.organizationTokens = kinds.organizationTokens;
  if (kinds.users) d.users = kinds.users;
  if (kinds.teams) d.teams = kinds.teams;
  return d;
}

export function manifest(deployments: DesiredDeployment[], opts: { ignore?: string[]; protect?: string[] } = {}): Desired {
  return {
    organizationId: ORG,
    ignore: opts.ignore ?? [],
    protect: opts.protect ?? [],
    deployments,
    files: [FILE],
    digest: 'f'.repeat(64),
  };
}

export const src = (b: { at: SourceLocation }): string => `${b.at.file}:${b.at.line}`;

/** makePlan that must succeed: no errors, a plan. `now` is the planning instant (for expiry and token states). */
export function planOf(desired: Desired, actual: Actual, now?: number): Plan {
  const r = makePlan(desired, actual, now === undefined ? {} : { now });
  expect(r.errors).toEqual([]);
  if (!r.plan) throw new Error('no plan');
  return r.plan;
}

/** makePlan that must fail: its diagnostics, and no plan. */
export function planErrors(desired: Desired, actual: Actual): Diagnostic[] {
  const r = makePlan(desired, actual);
  expect(r.plan).toBeUndefined();
  return r.errors;
}

/** One workspace "Data" with deployments prod and dev, and a custom DAG_VIEWER role. */
export function smallOrg() {
  const o = new OrgBuilder();
  const ws = o.workspace('Data');
  const prod = o.deployment(ws, 'prod');
  const dev = o.deployment(ws, 'dev');
  o.customRole('DAG_VIEWER');
  return { o, ws, prod, dev };
}
