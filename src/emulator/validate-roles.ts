import type { ApiToken, ApiTokenRole, EntityType } from '../astro/types.ts';
import { HttpError } from './http-error.ts';
import { entityExists } from './state.ts';
import type { FieldError } from './http-error.ts';
import type { Store } from './store.ts';

// The checks the server makes on a roles POST (astro-api.md, "Roles"). Most are [assumed] there, so each
// one can be switched off to emulate a more permissive server.

export const VALIDATION_RULES = [
  'emptyList', //                   the new list has no entry
  'duplicateEntity', //             two entries for one entity (so at most one role per deployment)
  'missingOwnScopeRole', //         not exactly one role of the token's own scope, on its own workspace/deployment
  'unknownRole', //                 a role name that does not exist for that entity type
  'customRoleOutsideWorkspaces', // a custom role used in a deployment outside its restrictedWorkspaceIds
  'deploymentOfOtherWorkspace', //  a WORKSPACE token bound to a deployment of another workspace
  'unknownEntity', //               an organization, workspace or deployment ID that does not exist
  'roleAboveScope', //              a WORKSPACE token holding an ORGANIZATION role (or a DEPLOYMENT token either)
  'dagRoleNeedsDeploymentRole', //  a DAG or DAG_TAG entry on a deployment the token holds no DEPLOYMENT role on
] as const;
export type ValidationRule = (typeof VALIDATION_RULES)[number];
export type ValidationRules = Record<ValidationRule, boolean>;

const ENTITY_TYPES: readonly EntityType[] = ['ORGANIZATION', 'WORKSPACE', 'DEPLOYMENT', 'DAG', 'DAG_TAG'];

/** Off unless asked for: the DAG rule is [assumed] for tokens (the provider enforces it for users and teams). */
const OFF_BY_DEFAULT: readonly ValidationRule[] = ['dagRoleNeedsDeploymentRole'];

export function allRules(overrides: Partial<ValidationRules> = {}): ValidationRules {
  const rules = Object.fromEntries(VALIDATION_RULES.map((r) => [r, !OFF_BY_DEFAULT.includes(r)])) as ValidationRules;
  return { ...rules, ...overrides };
}

/** The body's shape is always checked (a real server cannot accept garbage); returns the clean list. */
export function parseRolesBody(body: unknown): ApiTokenRole[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { roles?: unknown }).roles)) {
    throw new HttpError(400, 'request body must be {"roles": [...]}', [
      { field: 'roles', code: 'REQUIRED', message: 'roles must be an array' },
    ]);
  }
  const errors: FieldError[] = [];
  const roles: ApiTokenRole[] = [];
  for (const [i, raw] of ((body as { roles: unknown[] }).roles).entries()) {
    const e = (raw ?? {}) as Record<string, unknown>;
    const bad = (field: string, message: string): void => {
      errors.push({ field: `roles[${i}].${field}`, code: 'INVALID', message });
    };
    if (!ENTITY_TYPES.includes(e['entityType'] as EntityType)) bad('entityType', `must be one of ${ENTITY_TYPES.join(', ')}`);
    if (typeof e['entityId'] !== 'string' || e['entityId'] === '') bad('entityId', 'must be a non-empty string');
    if (typeof e['role'] !== 'string' || e['role'] === '') bad('role', 'must be a non-empty string');
    const dag = e['entityType'] === 'DAG' || e['entityType'] === 'DAG_TAG';
    if (e['deploymentId'] !== undefined && typeof e['deploymentId'] !== 'string') bad('deploymentId', 'must be a string');
    if (dag && typeof e['deploymentId'] !== 'string') bad('deploymentId', 'is required on DAG and DAG_TAG entries');
    const role: ApiTokenRole = {
      entityType: e['entityType'] as EntityType,
      entityId: e['entityId'] as string,
      role: e['role'] as string,
    };
    if (dag) role.deploymentId = e['deploymentId'] as string;
    roles.push(role);
  }
  if (errors.length > 0) throw new HttpError(400, `invalid roles: ${errors[0]?.field} ${errors[0]?.message}`, errors);
  return roles;
}

/** Field errors for the rules switched on; empty when the new list is acceptable. */
export function checkRoles(store: Store, token: Pick<ApiToken, 'scope' | 'roles'>, roles: ApiTokenRole[], rules: ValidationRules): FieldError[] {
  const errors: FieldError[] = [];
  const add = (rule: ValidationRule, field: string, code: string, message: string): void => {
    if (rules[rule]) errors.push({ field, code, message });
  };
  if (roles.length === 0) add('emptyList', 'roles', 'EMPTY_ROLES', 'a token must hold at least one role');

  const homeWorkspace = homeEntity(token, 'WORKSPACE') ?? roles.find((r) => r.entityType === 'WORKSPACE')?.entityId;
  const seen = new Set<string>();
  for (const [i, r] of roles.entries()) {
    const at = `roles[${i}]`;
    const key = `${r.entityType}|${r.entityId}|${r.deploymentId ?? ''}`;
    if (seen.has(key)) add('duplicateEntity', `${at}.entityId`, 'DUPLICATE_ENTITY', `more than one role for ${r.entityType} ${r.entityId}`);
    seen.add(key);

    if (!entityExists(r, store.organizationId, store.workspaces, store.deployments)) {
      add('unknownEntity', `${at}.entityId`, 'UNKNOWN_ENTITY', `${r.entityType} ${r.deploymentId ?? r.entityId} not found`);
    }
    const above =
      (token.scope === 'WORKSPACE' && r.entityType === 'ORGANIZATION') ||
      (token.scope === 'DEPLOYMENT' && (r.entityType === 'ORGANIZATION' || r.entityType === 'WORKSPACE'));
    if (above) add('roleAboveScope', `${at}.entityType`, 'ROLE_ABOVE_TOKEN_SCOPE', `a ${token.scope} token cannot hold ${r.entityType} roles`);

    if (!roleKnown(store, r)) add('unknownRole', `${at}.role`, 'UNKNOWN_ROLE', `role ${r.role} not found for ${r.entityType}`);

    const depId = r.entityType === 'DEPLOYMENT' ? r.entityId : r.deploymentId;
    const dep = depId === undefined ? undefined : store.deployments.get(depId);
    if (dep === undefined) continue;
    const custom = r.entityType === 'DEPLOYMENT' ? store.rolesByName.get(r.role) : undefined;
    if (custom !== undefined && custom.restrictedWorkspaceIds.length > 0 && !custom.restrictedWorkspaceIds.includes(dep.workspaceId)) {
      add('customRoleOutsideWorkspaces', `${at}.role`, 'ROLE_NOT_ALLOWED_IN_WORKSPACE', `role ${r.role} is not allowed in workspace ${dep.workspaceId}`);
    }
    if (token.scope === 'WORKSPACE' && homeWorkspace !== undefined && dep.workspaceId !== homeWorkspace) {
      add('deploymentOfOtherWorkspace', `${at}.entityId`, 'DEPLOYMENT_NOT_IN_WORKSPACE', `deployment ${dep.id} is not in the token's workspace ${homeWorkspace}`);
    }
  }

  const onDeployments = new Set(roles.filter((r) => r.entityType === 'DEPLOYMENT').map((r) => r.entityId));
  for (const [i, r] of roles.entries()) {
    if ((r.entityType === 'DAG' || r.entityType === 'DAG_TAG') && r.deploymentId !== undefined && !onDeployments.has(r.deploymentId)) {
      add('dagRoleNeedsDeploymentRole', `roles[${i}].deploymentId`, 'DAG_ROLE_WITHOUT_DEPLOYMENT_ROLE', `${r.entityType} role on ${r.entityId} needs a role on deployment ${r.deploymentId}`);
    }
  }

  const own = ownScopeProblem(store, token, roles);
  if (own !== undefined) add('missingOwnScopeRole', 'roles', 'MISSING_SCOPE_ROLE', own);
  return errors;
}

/** The entity a token belongs to, from the roles it holds now. */
function homeEntity(token: Pick<ApiToken, 'roles'>, type: 'WORKSPACE' | 'DEPLOYMENT'): string | undefined {
  return (token.roles ?? []).find((r) => r.entityType === type)?.entityId;
}

function ownScopeProblem(store: Store, token: Pick<ApiToken, 'scope' | 'roles'>, roles: ApiTokenRole[]): string | undefined {
  const ownType: EntityType = token.scope;
  const own = roles.filter((r) => r.entityType === ownType);
  if (token.scope === 'DEPLOYMENT') {
    const home = homeEntity(token, 'DEPLOYMENT');
    if (home !== undefined && !own.some((r) => r.entityId === home)) return `a DEPLOYMENT token must keep its role on deployment ${home}`;
    return own.length === 0 ? 'a DEPLOYMENT token must hold a DEPLOYMENT role' : undefined;
  }
  if (own.length !== 1) return `a ${token.scope} token must hold exactly one ${ownType} role (found ${own.length})`;
  const expected = token.scope === 'ORGANIZATION' ? store.organizationId : homeEntity(token, 'WORKSPACE');
  if (expected !== undefined && own[0]?.entityId !== expected) return `a ${token.scope} token must keep its role on ${ownType} ${expected}`;
  return undefined;
}

/** A default role of the entity's type, or a custom role of that scope. DAG role names are not checked. */
function roleKnown(store: Store, r: ApiTokenRole): boolean {
  if (r.entityType === 'DAG' || r.entityType === 'DAG_TAG') return true;
  if (store.defaultRoles.some((d) => d.name === r.role && d.scopeType === r.entityType)) return true;
  return store.rolesByName.get(r.role)?.scopeType === r.entityType;
}
