import type { Deployment, Workspace } from '../astro/types.ts';
import type {
  BindingKind,
  Desired,
  DesiredDeployment,
  DesiredExpiry,
  Diagnostic,
  Reference,
  SourceLocation,
} from '../manifest/types.ts';
import { didYouMean } from '../util/closest.ts';
import type { ActualIndex } from './index-actual.ts';
import { quote } from '../util/sanitize.ts';
import { BINDING_KINDS } from '../manifest/raw.ts';
import { sortDiagnostics } from '../manifest/sort-diagnostics.ts';
import { ambiguous, notRead, resolveSubject, ws } from './resolve-subject.ts';
import type { Found } from './resolve-subject.ts';
import { describeSubject } from './subjects.ts';
import type { Subject } from './subjects.ts';

// Manifest references (names or IDs) → live objects. Exact and case-sensitive, except user emails
// (resolve-subject.ts); every problem becomes a Diagnostic at the reference's position, and all of them
// are collected before planning stops.

export interface ResolvedBinding {
  subject: Subject;
  role: string;
  /** "file:line" of the list entry. */
  source: string;
  at: SourceLocation;
  expires?: DesiredExpiry;
}

export interface ResolvedDeployment {
  desired: DesiredDeployment;
  workspace: Workspace;
  deployment: Deployment;
  /** Present exactly for the kinds the manifest manages on this deployment. */
  bindings: Partial<Record<BindingKind, ResolvedBinding[]>>;
}

export interface Resolution {
  deployments: ResolvedDeployment[];
  errors: Diagnostic[];
}

const q = quote;
export const sourceOf = (at: SourceLocation): string => `${at.file}:${at.line}`;

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
  const unread = new Set<BindingKind>();

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
    const bindings: Partial<Record<BindingKind, ResolvedBinding[]>> = {};
    // Subjects are one object each (made by the index): the same token, user or team is the same key.
    const seen = new Map<Subject, SourceLocation>();
    for (const { kind, listKey } of BINDING_KINDS) {
      const list = dd[listKey];
      if (list === undefined) continue;
      if ((kind === 'user' && ix.users === undefined) || (kind === 'team' && ix.teams === undefined)) {
        if (!unread.has(kind)) fail(dd.at, notRead(listKey === 'users' ? 'users' : 'teams'));
        unread.add(kind);
        continue;
      }
      const out: ResolvedBinding[] = [];
      for (const b of list) {
        const s: Found<Subject> = resolveSubject(b.subject, kind, w.ok, ix);
        const roleError = checkRole(b.role, w.ok);
        if (roleError) fail(b.roleAt, roleError);
        if ('error' in s) {
          fail(b.subject.at, `${listKey}: ${s.error}`);
          continue;
        }
        const prev = seen.get(s.ok);
        if (prev) {
          fail(b.subject.at, `${describeSubject(s.ok)} is declared twice on this deployment (also at ${sourceOf(prev)})`);
          continue;
        }
        seen.set(s.ok, b.at);
        const r: ResolvedBinding = { subject: s.ok, role: b.role, source: sourceOf(b.at), at: b.at };
        if (b.expires !== undefined) r.expires = b.expires;
        out.push(r);
      }
      bindings[kind] = out;
    }
    if ('ok' in d) deployments.push({ desired: dd, workspace: w.ok, deployment: d.ok, bindings });
  }
  return { deployments, errors: sortDiagnostics(errors) };
}
