import type { ApiToken, ApiTokenRole, Deployment, Role, Workspace } from '../astro/types.ts';

/** A token as the planner sees it: `roles` is always present (absent on the wire means []). */
export type ActualToken = ApiToken & { roles: ApiTokenRole[] };

/**
 * A snapshot of the live organization, read once before planning. Plain data: the planner does no I/O.
 * `roles` holds the organization's custom DEPLOYMENT-scoped roles (DEPLOYMENT_ADMIN is implicit).
 */
export interface Actual {
  organizationId: string;
  workspaces: Workspace[];
  deployments: Deployment[];
  tokens: ActualToken[];
  roles: Role[];
}
