import type { ApiTokenRole, DagRoleEntry, DeploymentRoleEntry, SubjectRoleSet, Team, UpdateSubjectRolesRequest, User, WorkspaceRoleEntry } from '../astro/types.ts';
import { HttpError } from './http-error.ts';
import type { FieldError } from './http-error.ts';
import { paged } from './paged.ts';
import { many, one } from './query.ts';
import type { Page, Query } from './query.ts';
import type { ApiResponse, RouteConfig, SubjectConfig, SubjectKind } from './route-types.ts';
import type { Store } from './store.ts';
import { oneDagTarget } from './subjects-state.ts';
import { checkRoles } from './validate-roles.ts';

// The users and teams endpoints (IAM) below /organizations/{org}: lists, GET, and the roles POST that
// replaces a subject's whole role set. The API facts, confirmed and [assumed], are in README.md.

export const DEFAULT_SUBJECT_CONFIG: SubjectConfig = { workspaceAccessor: ['users', 'teams'], dagRoleNeedsDeploymentRole: true };
export const WORKSPACE_ACCESSOR = 'WORKSPACE_ACCESSOR';

type Subject = User | Team;

export function handleSubjects(
  store: Store,
  cfg: RouteConfig,
  kind: SubjectKind,
  req: { method: string; query: Query; body: unknown },
  page: () => Page,
  id: string | undefined,
  sub: string | undefined,
): ApiResponse {
  const allow = (method: string): void => {
    if (req.method !== method) throw new HttpError(405, `method ${req.method} not allowed here`);
  };
  if (id === undefined) {
    allow('GET');
    return listSubjects(store, cfg, kind, req.query, page());
  }
  const subject = store[kind].get(id);
  if (sub === undefined) {
    allow('GET');
    if (subject === undefined) throw notFound(kind, id);
    return { status: 200, body: served(kind, subject, {}), read: `${kind === 'users' ? 'user' : 'team'}:${id}` };
  }
  if (sub !== 'roles') throw new HttpError(404, `no such endpoint: ${req.method} /v1/organizations/${store.organizationId}/${kind}/${id}/${sub}`);
  allow('POST');
  if (subject === undefined) throw notFound(kind, id);
  return replaceSubjectRoles(store, cfg, kind, subject, req.body);
}

function notFound(kind: SubjectKind, id: string): HttpError {
  return new HttpError(404, `${kind === 'users' ? 'user' : 'team'} ${id} not found`);
}

interface View {
  workspaceId?: string;
  deploymentId?: string;
}

/** workspaceId: subjects with a role on that workspace, served with their organization role and that
 * workspace role only; deploymentId likewise with that deployment role; both: subjects with both. */
function listSubjects(store: Store, cfg: RouteConfig, kind: SubjectKind, q: Query, p: Page): ApiResponse {
  const view: View = {};
  const workspaceId = one(q, 'workspaceId');
  const deploymentId = one(q, 'deploymentId');
  if (workspaceId !== undefined) {
    if (!store.workspaces.has(workspaceId)) throw new HttpError(404, `workspace ${workspaceId} not found`);
    view.workspaceId = workspaceId;
  }
  if (deploymentId !== undefined) {
    if (!store.deployments.has(deploymentId)) throw new HttpError(404, `deployment ${deploymentId} not found`);
    view.deploymentId = deploymentId;
  }
  const names = kind === 'teams' ? many(q, 'names') : undefined;
  const keep = (s: Subject): boolean =>
    (workspaceId === undefined || (s.workspaceRoles ?? []).some((r) => r.workspaceId === workspaceId)) &&
    (deploymentId === undefined || (s.deploymentRoles ?? []).some((r) => r.deploymentId === deploymentId)) &&
    (names === undefined || ('name' in s && names.includes(s.name)));
  const key = JSON.stringify([workspaceId, deploymentId, names]);
  const answer = paged(kind, store.list(kind, key, keep, p.sorts), p, {}, cfg.listQuirks);
  const body = answer.body as Record<string, Subject[]>;
  body[kind] = (body[kind] ?? []).map((s) => served(kind, s, view));
  return answer;
}

/** A copy as the API serves it: partial roles under a list filter, a team's rolesCount computed. */
function served(kind: SubjectKind, s: Subject, view: View): Subject {
  const out = structuredClone(s);
  if (view.workspaceId !== undefined || view.deploymentId !== undefined) {
    if (view.workspaceId === undefined) delete out.workspaceRoles;
    else out.workspaceRoles = (out.workspaceRoles ?? []).filter((r) => r.workspaceId === view.workspaceId);
    if (view.deploymentId === undefined) delete out.deploymentRoles;
    else out.deploymentRoles = (out.deploymentRoles ?? []).filter((r) => r.deploymentId === view.deploymentId);
    delete out.dagRoles;
  }
  if (kind === 'teams') {
    (out as Team).rolesCount = 1 + (s.workspaceRoles?.length ?? 0) + (s.deploymentRoles?.length ?? 0) + (s.dagRoles?.length ?? 0);
  }
  return out;
}

function replaceSubjectRoles(store: Store, cfg: RouteConfig, kind: SubjectKind, subject: Subject, body: unknown): ApiResponse {
  const next = parseSubjectRolesBody(body);
  const errors = checkSubjectRoles(store, cfg, next);
  if (errors.length > 0) throw new HttpError(400, `invalid roles: ${errors.map((e) => e.message).join('; ')}`, errors);
  if (cfg.subjects.workspaceAccessor.includes(kind)) addWorkspaceAccessor(store, next);
  storeSubjectRoles(store, subject, next);
  if (cfg.rolesAnswer === 'empty') return { status: 200, body: {} };
  const { organizationRole, workspaceRoles, deploymentRoles, dagRoles } = subject;
  return { status: 200, body: structuredClone({ organizationRole, workspaceRoles, deploymentRoles, dagRoles }) };
}

/** Replaces a subject's whole role set as given (the roles POST, after its checks; a foreign-write fault, as is). */
export function storeSubjectRoles(store: Store, subject: Subject, next: UpdateSubjectRolesRequest): void {
  subject.organizationRole = next.organizationRole;
  subject.workspaceRoles = structuredClone(next.workspaceRoles ?? []);
  subject.deploymentRoles = structuredClone(next.deploymentRoles ?? []);
  subject.dagRoles = structuredClone(next.dagRoles ?? []);
  const prev = Date.parse(subject.updatedAt ?? '');
  subject.updatedAt = new Date(Math.max(Date.now(), (Number.isNaN(prev) ? 0 : prev) + 1)).toISOString();
  store.changed();
}

/** The [assumed] side effect: a deployment role given without any role on its workspace brings
 * WORKSPACE_ACCESSOR on that workspace, added by the server. */
function addWorkspaceAccessor(store: Store, next: UpdateSubjectRolesRequest): void {
  const workspaceRoles = next.workspaceRoles ?? [];
  for (const d of next.deploymentRoles ?? []) {
    const ws = store.deployments.get(d.deploymentId)?.workspaceId;
    if (ws !== undefined && !workspaceRoles.some((w) => w.workspaceId === ws)) workspaceRoles.push({ workspaceId: ws, role: WORKSPACE_ACCESSOR });
  }
  next.workspaceRoles = workspaceRoles;
}

/** The body's shape, always checked: organizationRole is required, each list is optional (absent or null: empty). */
export function parseSubjectRolesBody(body: unknown): UpdateSubjectRolesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object', [{ field: '', code: 'INVALID', message: 'expected an object' }]);
  }
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (field: string, message: string, code = 'INVALID'): void => {
    errors.push({ field, code, message });
  };
  const str = (o: Record<string, unknown>, k: string): boolean => typeof o[k] === 'string' && o[k] !== '';
  if (!str(b, 'organizationRole')) bad('organizationRole', 'organizationRole is required', 'REQUIRED');
  const list = <T>(field: keyof SubjectRoleSet, keys: string[], check?: (o: Record<string, unknown>, at: string) => void): T[] | undefined => {
    const v = b[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      bad(field, `${field} must be an array`);
      return undefined;
    }
    v.forEach((raw, i) => {
      const at = `${field}[${i}]`;
      if (typeof raw !== 'object' || raw === null) return bad(at, 'must be an object');
      const o = raw as Record<string, unknown>;
      for (const k of keys) if (!str(o, k)) bad(`${at}.${k}`, `${k} must be a non-empty string`);
      check?.(o, at);
    });
    return structuredClone(v) as T[];
  };
  const workspaceRoles = list<WorkspaceRoleEntry>('workspaceRoles', ['workspaceId', 'role']);
  const deploymentRoles = list<DeploymentRoleEntry>('deploymentRoles', ['deploymentId', 'role']);
  const dagRoles = list<DagRoleEntry>('dagRoles', ['deploymentId', 'role'], (o, at) => {
    for (const k of ['dagId', 'dagTag']) if (o[k] !== undefined && !str(o, k)) bad(`${at}.${k}`, `${k} must be a non-empty string`);
    if (!oneDagTarget({ dagId: o['dagId'] as string | undefined, dagTag: o['dagTag'] as string | undefined })) bad(at, 'needs exactly one of dagId and dagTag');
  });
  if (errors.length > 0) throw new HttpError(400, `invalid roles: ${errors[0]?.field} ${errors[0]?.message}`, errors);
  const out: UpdateSubjectRolesRequest = { organizationRole: b['organizationRole'] as string };
  if (workspaceRoles !== undefined) out.workspaceRoles = workspaceRoles;
  if (deploymentRoles !== undefined) out.deploymentRoles = deploymentRoles;
  if (dagRoles !== undefined) out.dagRoles = dagRoles;
  return out;
}

/** The token roles POST's rules that apply to any subject (duplicateEntity, unknownEntity, unknownRole,
 * customRoleOutsideWorkspaces, each switchable with `validation`), run on the set as role entries, with
 * fields named as in the body; plus dagRoleNeedsDeploymentRole. */
function checkSubjectRoles(store: Store, cfg: RouteConfig, next: UpdateSubjectRolesRequest): FieldError[] {
  const entries: ApiTokenRole[] = [{ entityType: 'ORGANIZATION', entityId: store.organizationId, role: next.organizationRole }];
  // Per entry: the body field it came from, and the name of its ID field there.
  const fields: [string, string][] = [['organizationRole', '']];
  (next.workspaceRoles ?? []).forEach((r, i) => {
    entries.push({ entityType: 'WORKSPACE', entityId: r.workspaceId, role: r.role });
    fields.push([`workspaceRoles[${i}]`, 'workspaceId']);
  });
  (next.deploymentRoles ?? []).forEach((r, i) => {
    entries.push({ entityType: 'DEPLOYMENT', entityId: r.deploymentId, role: r.role });
    fields.push([`deploymentRoles[${i}]`, 'deploymentId']);
  });
  (next.dagRoles ?? []).forEach((r, i) => {
    const dag: ApiTokenRole = r.dagId !== undefined
      ? { entityType: 'DAG', entityId: r.dagId, role: r.role, deploymentId: r.deploymentId }
      : { entityType: 'DAG_TAG', entityId: r.dagTag ?? '', role: r.role, deploymentId: r.deploymentId };
    entries.push(dag);
    fields.push([`dagRoles[${i}]`, r.dagId !== undefined ? 'dagId' : 'dagTag']);
  });
  // As an ORGANIZATION-scoped holder of exactly one organization role, the token-only rules cannot fire.
  const errors = checkRoles(store, { scope: 'ORGANIZATION', roles: [] }, entries, cfg.rules).map((e) => ({
    ...e,
    field: e.field.replace(/^roles\[(\d+)\](\.\w+)?/, (_m, i: string, rest: string | undefined) => {
      const [f, idName] = fields[Number(i)] ?? ['roles', ''];
      return f === 'organizationRole' ? f : `${f}${rest === '.entityId' ? `.${idName}` : (rest ?? '')}`;
    }),
  }));
  if (cfg.subjects.dagRoleNeedsDeploymentRole) {
    (next.dagRoles ?? []).forEach((r, i) => {
      if (!(next.deploymentRoles ?? []).some((d) => d.deploymentId === r.deploymentId)) {
        errors.push({ field: `dagRoles[${i}].deploymentId`, code: 'MISSING_DEPLOYMENT_ROLE', message: `a DAG role on deployment ${r.deploymentId} needs a deployment role there` });
      }
    });
  }
  return errors;
}
