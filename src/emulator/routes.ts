import type { ApiToken, ApiTokenRole, BasicSubjectProfile, SubjectRoles } from '../astro/types.ts';
import { HttpError } from './http-error.ts';
import { paged } from './paged.ts';
import { bool, many, manyOf, one, oneOf, parsePage } from './query.ts';
import type { Page, Query } from './query.ts';
import type { ApiRequest, ApiResponse, RouteConfig } from './route-types.ts';
import type { Store } from './store.ts';
import { handleSubjects } from './subjects.ts';
import { checkRoles, parseRolesBody } from './validate-roles.ts';

// The endpoints of astro-api.md, below /v1. Pure over the store: the server adds auth, limits and faults.

export function handle(store: Store, cfg: RouteConfig, req: ApiRequest): ApiResponse {
  const [root, orgId, resource, id, sub, ...rest] = req.segments;
  if (root !== 'organizations' || orgId === undefined || resource === undefined || rest.length > 0) throw noRoute(req);
  if (orgId !== store.organizationId) throw new HttpError(404, `organization ${orgId} not found`);
  const allow = (...methods: string[]): void => {
    if (!methods.includes(req.method)) throw new HttpError(405, `method ${req.method} not allowed here`);
  };
  const page = (): Page => parsePage(req.query, cfg.defaultLimit, cfg.maxLimit, SORT_KEYS[resource] ?? {});

  if (resource === 'tokens' && id === undefined) {
    allow('GET');
    return listTokens(store, cfg, req.query, page());
  }
  if (resource === 'tokens' && id !== undefined && sub === undefined) {
    allow('GET', 'DELETE');
    const token = store.tokens.get(id);
    if (token === undefined) throw new HttpError(404, `API token ${id} not found`);
    if (req.method === 'DELETE') {
      store.removeToken(id);
      return { status: 204 };
    }
    return { status: 200, body: servedToken(cfg, token), read: `token:${id}` };
  }
  if (resource === 'tokens' && id !== undefined && sub === 'roles') {
    allow('POST');
    return replaceRoles(store, cfg, id, req);
  }
  if (resource === 'deployments' && id === undefined) {
    allow('GET');
    return listDeployments(store, req.query, page());
  }
  if (resource === 'deployments' && id !== undefined && sub === undefined) {
    allow('GET');
    const d = store.deployments.get(id);
    if (d === undefined) throw new HttpError(404, `deployment ${id} not found`);
    return { status: 200, body: d };
  }
  if (resource === 'workspaces' && id === undefined) {
    allow('GET');
    return listWorkspaces(store, req.query, page());
  }
  if (resource === 'workspaces' && id !== undefined && sub === undefined) {
    allow('GET');
    const w = store.workspaces.get(id);
    if (w === undefined) throw new HttpError(404, `workspace ${id} not found`);
    return { status: 200, body: w };
  }
  if (resource === 'users' || resource === 'teams') return handleSubjects(store, cfg, resource, req, page, id, sub);
  if (resource === 'roles' && id === undefined) {
    allow('GET');
    return listRoles(store, req.query, page());
  }
  throw noRoute(req);
}

// The sort keys each list documents, and the field each one orders by.
const COMMON_SORTS = { createdAt: 'createdAt', name: 'name', updatedAt: 'updatedAt' };
const SORT_KEYS: Record<string, Record<string, string>> = {
  tokens: { ...COMMON_SORTS, description: 'description', tokenStartAt: 'startAt' },
  deployments: COMMON_SORTS,
  workspaces: COMMON_SORTS,
  roles: COMMON_SORTS,
  users: { createdAt: 'createdAt', fullName: 'fullName', id: 'id', updatedAt: 'updatedAt', username: 'username' },
  teams: { ...COMMON_SORTS, description: 'description' },
};

function noRoute(req: ApiRequest): HttpError {
  return new HttpError(404, `no such endpoint: ${req.method} /v1/${req.segments.join('/')}`);
}

/** A token as served: without `roles` when the omitTokenRoles mode covers it. */
function servedToken(cfg: RouteConfig, t: ApiToken): ApiToken {
  const omit = cfg.omitTokenRoles === true || (Array.isArray(cfg.omitTokenRoles) && cfg.omitTokenRoles.includes(t.id));
  if (!omit) return t;
  const { roles: _hidden, ...rest } = t;
  return rest;
}

/** workspaceId: tokens holding a role on that workspace; deploymentId: tokens holding a role on that
 * deployment; dagId / dagTags: tokens holding a DAG / DAG_TAG role on that DAG or one of those tags;
 * includeOnlyOrganizationTokens: ORGANIZATION-scoped tokens only; kind. Filters combine. */
function listTokens(store: Store, cfg: RouteConfig, q: Query, p: Page): ApiResponse {
  const workspaceId = one(q, 'workspaceId');
  const deploymentId = one(q, 'deploymentId');
  const orgOnly = bool(q, 'includeOnlyOrganizationTokens') ?? false;
  const kind = oneOf(q, 'kind', ['STANDARD', 'DIRECT_ACCESS']);
  const dagId = one(q, 'dagId');
  const dagTags = setOf(many(q, 'dagTags'));
  if (cfg.forbidOrganizationTokenList && workspaceId === undefined && deploymentId === undefined) {
    throw new HttpError(403, 'this API token may not list the organization-wide tokens; filter by workspaceId');
  }
  if (workspaceId !== undefined && !store.workspaces.has(workspaceId)) throw new HttpError(404, `workspace ${workspaceId} not found`);
  if (deploymentId !== undefined && !store.deployments.has(deploymentId)) throw new HttpError(404, `deployment ${deploymentId} not found`);
  const on = (t: ApiToken, type: string, entityId: string): boolean =>
    (t.roles ?? []).some((r) => r.entityType === type && r.entityId === entityId);
  const keep = (t: ApiToken): boolean =>
    (!orgOnly || t.scope === 'ORGANIZATION') &&
    (kind === undefined || t.kind === kind) &&
    (workspaceId === undefined || on(t, 'WORKSPACE', workspaceId)) &&
    (deploymentId === undefined || on(t, 'DEPLOYMENT', deploymentId)) &&
    (dagId === undefined || on(t, 'DAG', dagId)) &&
    (dagTags === undefined || (t.roles ?? []).some((r) => r.entityType === 'DAG_TAG' && dagTags.has(r.entityId)));
  const key = JSON.stringify([workspaceId, deploymentId, orgOnly, kind, dagId, [...(dagTags ?? [])]]);
  const served = cfg.omitTokenRoles === false ? store.list('tokens', key, keep, p.sorts) : store.list('tokens', key, keep, p.sorts).map((t) => servedToken(cfg, t));
  return paged('tokens', served, p, {}, cfg.listQuirks);
}

function listDeployments(store: Store, q: Query, p: Page): ApiResponse {
  const ws = setOf(many(q, 'workspaceIds'));
  const ids = setOf(many(q, 'deploymentIds'));
  const names = setOf(many(q, 'names'));
  const key = JSON.stringify([[...(ws ?? [])], [...(ids ?? [])], [...(names ?? [])]]);
  const items = store.list(
    'deployments',
    key,
    (d) => (ws === undefined || ws.has(d.workspaceId)) && (ids === undefined || ids.has(d.id)) && (names === undefined || names.has(d.name)),
    p.sorts,
  );
  return paged('deployments', items, p);
}

function listWorkspaces(store: Store, q: Query, p: Page): ApiResponse {
  const ids = setOf(many(q, 'workspaceIds'));
  const names = setOf(many(q, 'names'));
  const key = JSON.stringify([[...(ids ?? [])], [...(names ?? [])]]);
  const items = store.list('workspaces', key, (w) => (ids === undefined || ids.has(w.id)) && (names === undefined || names.has(w.name)), p.sorts);
  return paged('workspaces', items, p);
}

const SCOPE_TYPES = ['DAG', 'DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE'];

function listRoles(store: Store, q: Query, p: Page): ApiResponse {
  const scopes = setOf(manyOf(q, 'scopeTypes', SCOPE_TYPES));
  const key = JSON.stringify([...(scopes ?? [])]);
  const items = store.list('roles', key, (r) => scopes === undefined || scopes.has(r.scopeType), p.sorts);
  const extra = bool(q, 'includeDefaultRoles') === true
    ? { defaultRoles: store.defaultRoles.filter((r) => scopes === undefined || scopes.has(r.scopeType)) }
    : {};
  return paged('roles', items, p, extra);
}

function setOf(values: string[] | undefined): Set<string> | undefined {
  return values === undefined ? undefined : new Set(values);
}

function replaceRoles(store: Store, cfg: RouteConfig, tokenId: string, req: ApiRequest): ApiResponse {
  const token = store.tokens.get(tokenId);
  if (token === undefined) throw new HttpError(404, `API token ${tokenId} not found`);
  const roles = parseRolesBody(req.body);
  const errors = checkRoles(store, token, roles, cfg.rules);
  if (errors.length > 0) throw new HttpError(400, `invalid roles: ${errors.map((e) => e.message).join('; ')}`, errors);
  const stored = [...roles, ...cfg.implicitRoles.filter((i) => !roles.some((r) => r.entityType === i.entityType && r.entityId === i.entityId))];
  writeRoles(store, token, stored, callerProfile(store, req.callerId));
  return { status: 200, body: cfg.rolesAnswer === 'empty' ? {} : subjectRoles(stored) };
}

/** Replaces a token's roles and bumps updatedAt (strictly later than before, whatever the clock says). */
export function writeRoles(store: Store, token: ApiToken, roles: ApiTokenRole[], by: BasicSubjectProfile): void {
  token.roles = structuredClone(roles);
  const prev = Date.parse(token.updatedAt);
  token.updatedAt = new Date(Math.max(Date.now(), (Number.isNaN(prev) ? 0 : prev) + 1)).toISOString();
  token.updatedBy = by;
  store.changed();
}

function callerProfile(store: Store, callerId: string | undefined): BasicSubjectProfile {
  const caller = callerId === undefined ? undefined : store.tokens.get(callerId);
  if (caller === undefined) return { id: callerId ?? 'cemulatorcaller000000000a', subjectType: 'SERVICEKEY' };
  return { id: caller.id, subjectType: 'SERVICEKEY', apiTokenName: caller.name };
}

function subjectRoles(roles: ApiTokenRole[]): SubjectRoles {
  const out: SubjectRoles = { workspaceRoles: [], deploymentRoles: [], dagRoles: [] };
  for (const r of roles) {
    if (r.entityType === 'ORGANIZATION') out.organizationRole = r.role;
    else if (r.entityType === 'WORKSPACE') out.workspaceRoles?.push({ workspaceId: r.entityId, role: r.role });
    else if (r.entityType === 'DEPLOYMENT') out.deploymentRoles?.push({ deploymentId: r.entityId, role: r.role });
    else {
      const dag = r.entityType === 'DAG' ? { dagId: r.entityId } : { dagTag: r.entityId };
      out.dagRoles?.push({ deploymentId: r.deploymentId ?? '', role: r.role, ...dag });
    }
  }
  return out;
}
