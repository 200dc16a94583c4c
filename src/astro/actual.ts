import type { ApiToken, ApiTokenRole, DefaultRole, Deployment, Role, Workspace } from '../astro/types.ts';

/** A token as the planner sees it: `roles` is always present (absent on the wire means []). */
export type ActualToken = ApiToken & { roles: ApiTokenRole[] };

/**
 * A snapshot of the live organization, read once before planning. Plain data: the planner does no I/O.
 * `roles` holds the organization's custom DEPLOYMENT-scoped roles, `defaultRoles` the API's default
 * DEPLOYMENT roles (DEPLOYMENT_ADMIN, ...): both are read from the API, never assumed.
 */
export interface Actual {
  organizationId: string;
  workspaces: Workspace[];
  deployments: Deployment[];
  tokens: ActualToken[];
  roles: Role[];
  defaultRoles: DefaultRole[];
}
