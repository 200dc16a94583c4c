import type { Deployment, Workspace } from '../astro/types.ts';
import type {
  Desired,
  DesiredBinding,
  DesiredDeployment,
  Diagnostic,
  Reference,
  SourceLocation,
  TokenKind,
} from '../manifest/types.ts';
import type { ActualToken } from '../astro/actual.ts';
import { didYouMean } from '../util/closest.ts';
import { tokenWorkspaceIds } from './index-actual.ts';
import type { ActualIndex } from './index-actual.ts';
import { quote } from '../util/sanitize.ts';
import { TOKEN_KINDS, tokenListKey } from '../manifest/raw.ts';
import { sortDiagnostics } from '../manifest/sort-diagnostics.ts';

// Manifest references (names or IDs) → live objects. Exact and case-sensitive; every problem becomes a
// Diagnostic at the reference's position, and all of them are collected before planning stops.

export interface ResolvedBinding {
  token: ActualToken;
  role: string;
  /** "file:line" of the list entry. */
  source: string;
  at: SourceLocation;
}

export interface ResolvedDeployment {
  desired: DesiredDeployment;
  workspace: Workspace;
  deployment: Deployment;
  /** Present exactly for the token kinds the manifest manages on this deployment. */
  bindings: Partial<Record<TokenKind, ResolvedBinding[]>>;
}

export interface Resolution {
  deployments: ResolvedDeployment[];
  errors: Diagnostic[];
}

type Found<T> = { ok: T } | { error: string };


const q = quote;
const ws = (w: Workspace): string => `workspace ${q(w.name)} (${w.id})`;
const tok = (t: ActualToken): string => `token ${q(t.name)} (${t.id})`;
export const sourceOf = (at: SourceLocation): string => `${at.file}:${at.line}`;

const DEPLOYMENT_SCOPED =
  'deployment-scoped tokens belong to their deployment and are not managed by astro-access';

function ambiguous(what: string, name: string, ids: string[], key: string): string {
  return `${ids.length} ${what} are named ${q(name)}: ${ids.sort().join(', ')}; write \`${key}:\` to pick one`;
}

function resolveWorkspace(ref: Reference, ix: ActualIndex): Found<Workspace> {
  if (ref.id !== undefined) {
    const w = ix.workspacesById.get(ref.id);
    return w ? { ok: w } : { error: `workspace ID ${ref.id} not found in the organization` };
  }
  const name = ref.name ?? '';
  const found = ix.workspacesByName.get(name) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  if (found.length > 1) return { error: ambiguous('workspaces', name, found.map((w) => w.id), 'workspaceId') };
  return {
    error: `workspace ${q(name)} not found${didYouMean(name, ix.actual.workspaces.map((w) => w.name))}`,
  };
}

function resolveDeployment(ref: Reference, w: Workspace, ix: ActualIndex): Found<Deployment> {
  if (ref.id !== undefined) {
    const d = ix.deploymentsById.get(ref.id);
    if (!d) return { error: `deployment ID ${ref.id} not found in the organization` };
    if (d.workspaceId !== w.id) {
      const owner = ix.workspacesById.get(d.workspaceId);
      const where = owner ? ws(owner) : `workspace ${d.workspaceId}`;
      return { error: `deployment ${q(d.name)} (${d.id}) belongs to ${where}, not to ${ws(w)}` };
    }
    return { ok: d };
  }
  const name = ref.name ?? '';
  const found = ix.deploymentsByName.get(w.id)?.get(name) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  if (found.length > 1) {
    return { error: ambiguous(`deployments in ${ws(w)}`, name, found.map((d) => d.id), 'deploymentId') };
  }
  const elsewhere = ix.actual.deployments.filter((d) => d.name === name).map((d) => d.workspaceId);
  const hint =
    elsewhere.length > 0
      ? `; a deployment of that name exists in ${[...new Set(elsewhere)]
          .map((id) => { const o = ix.workspacesById.get(id); return o ? ws(o) : id; })
          .sort()
          .join(', ')}`
      : didYouMean(name, (ix.deploymentsByWorkspace.get(w.id) ?? []).map((d) => d.name));
  return { error: `deployment ${q(name)} not found in ${ws(w)}${hint}` };
}

/** Why a token of the wrong scope or workspace cannot stand in this list. */
function misplaced(t: ActualToken, kind: TokenKind, w: Workspace, ix: ActualIndex): string | null {
  if (t.scope === 'DEPLOYMENT') return `${tok(t)} is deployment-scoped: ${DEPLOYMENT_SCOPED}`;
  if (kind === 'workspace' && t.scope === 'ORGANIZATION') {
    return `${tok(t)} is an organization token: list it under organizationTokens`;
  }
  if (kind === 'organization' && t.scope === 'WORKSPACE') {
    return `${tok(t)} is a workspace token: list it under workspaceTokens`;
  }
  if (kind === 'workspace' && !tokenWorkspaceIds(t).includes(w.id)) {
    const owners = tokenWorkspaceIds(t).map((id) => { const o = ix.workspacesById.get(id); return o ? ws(o) : id; });
    return `workspace ${tok(t)} belongs to ${owners.join(', ') || 'no workspace'}, not to ${ws(w)}: a workspace token can only hold roles on deployments of its own workspace`;
  }
  return null;
}

function resolveToken(ref: Reference, kind: TokenKind, w: Workspace, ix: ActualIndex): Found<ActualToken> {
  if (ref.id !== undefined) {
    const t = ix.tokensById.get(ref.id);
    if (!t) return { error: `token ID ${ref.id} not found in the organization` };
    const why = misplaced(t, kind, w, ix);
    return why ? { error: why } : { ok: t };
  }
  const name = ref.name ?? '';
  const found =
    (kind === 'workspace' ? ix.workspaceTokensByName.get(w.id)?.get(name) : ix.orgTokensByName.get(name)) ?? [];
  if (found.length === 1 && found[0]) return { ok: found[0] };
  const what = kind === 'workspace' ? `workspace tokens in ${ws(w)}` : 'organization tokens';
  if (found.length > 1) return { error: ambiguous(what, name, found.map((t) => t.id), 'tokenId') };
  // Not in the right scope: say where the name does exist, else suggest near names of the right scope.
  const other = (ix.tokensByName.get(name) ?? []).map((t) => misplaced(t, kind, w, ix)).filter((m) => m !== null);
  if (other.length > 0) return { error: [...new Set(other)].sort().join('; ') };
  const pool = kind === 'workspace' ? (ix.workspaceTokens.get(w.id) ?? []) : ix.orgTokens;
  const scope = kind === 'workspace' ? `workspace token ${q(name)} not found in ${ws(w)}` : `organization token ${q(name)} not found`;
  return { error: scope + didYouMean(name, pool.map((t) => t.name)) };
}

/** Valid deployment role names per workspace (the API's default roles and the custom roles allowed there). */
function roleChecker(ix: ActualIndex): (role: string, w: Workspace) => string | null {
  const valid = new Map<string, Set<string>>();
  const customIn = (w: Workspace): Set<string> => {
    let s = valid.get(w.id);
    if (!s) {
      s = new Set();
      for (const [name, roles] of ix.rolesByName) {
        if (roles.some((r) => r.restrictedWorkspaceIds.length === 0 || r.restrictedWorkspaceIds.includes(w.id))) s.add(name);
      }
      valid.set(w.id, s);
    }
    return s;
  };
  return (role, w) => {
    const custom = customIn(w);
    if (ix.defaultRoleNames.has(role) || custom.has(role)) return null;
    const list = (names: Iterable<string>): string => [...names].sort().join(', ') || 'none';
    const offered = `valid roles in ${ws(w)}: default (as the API lists them) ${list(ix.defaultRoleNames)}; custom ${list(custom)}`;
    const restricted = ix.rolesByName.get(role);
    if (restricted) {
      const allowed = [...new Set(restricted.flatMap((r) => r.restrictedWorkspaceIds))]
        .map((id) => { const o = ix.workspacesById.get(id); return o ? ws(o) : id; })
        .sort();
      return `custom role ${q(role)} is restricted to ${allowed.join(', ')} and cannot be used in ${ws(w)}; ${offered}`;
    }
    const near = didYouMean(role, [...ix.defaultRoleNames, ...custom]).replace(/^; /, ' (').replace(/\?$/, '?)');
    return `unknown deployment role ${q(role)}${near}; ${offered}`;
  };
}

export function resolveNames(desired: Desired, ix: ActualIndex): Resolution {
  const errors: Diagnostic[] = [];
  const seenErrors = new Set<string>();
  const fail = (at: SourceLocation, message: string): void => {
    const key = `${at.file}\0${at.line}\0${at.col}\0${message}`;
    if (seenErrors.has(key)) return; // one bad workspace reference shared by many deployments: say it once
    seenErrors.add(key);
    errors.push({ file: at.file, line: at.line, col: at.col, message });
  };
  const checkRole = roleChecker(ix);
  const deployments: ResolvedDeployment[] = [];
  const seenDeployments = new Map<string, SourceLocation>();

  for (const dd of desired.deployments) {
    const w = resolveWorkspace(dd.workspace, ix);
    if ('error' in w) {
      fail(dd.workspace.at, w.error);
      continue;
    }
    const d = resolveDeployment(dd.deployment, w.ok, ix);
    if ('error' in d) fail(dd.deployment.at, d.error);
    else {
      const prev = seenDeployments.get(d.ok.id);
      if (prev) fail(dd.deployment.at, `deployment ${q(d.ok.name)} (${d.ok.id}) is declared twice (also at ${sourceOf(prev)})`);
      else seenDeployments.set(d.ok.id, dd.deployment.at);
    }
    // Bindings are resolved even when the deployment is not, so every error is reported in one run.
    const bindings: Partial<Record<TokenKind, ResolvedBinding[]>> = {};
    const seenTokens = new Map<string, SourceLocation>();
    for (const kind of TOKEN_KINDS) {
      const list: DesiredBinding[] | undefined = kind === 'workspace' ? dd.workspaceTokens : dd.organizationTokens;
      if (list === undefined) continue;
      const out: ResolvedBinding[] = [];
      for (const b of list) {
        const t = resolveToken(b.subject, kind, w.ok, ix);
        const roleError = checkRole(b.role, w.ok);
        if (roleError) fail(b.roleAt, roleError);
        if ('error' in t) {
          fail(b.subject.at, `${tokenListKey(kind)}: ${t.error}`);
          continue;
        }
        const prev = seenTokens.get(t.ok.id);
        if (prev) {
          fail(b.subject.at, `${tok(t.ok)} is declared twice on this deployment (also at ${sourceOf(prev)})`);
          continue;
        }
        seenTokens.set(t.ok.id, b.at);
        out.push({ token: t.ok, role: b.role, source: sourceOf(b.at), at: b.at });
      }
      bindings[kind] = out;
    }
    if ('ok' in d) deployments.push({ desired: dd, workspace: w.ok, deployment: d.ok, bindings });
  }
  return { deployments, errors: sortDiagnostics(errors) };
}
