import type {
  ApiToken,
  ApiTokenRole,
  DagRoleEntry,
  DefaultRole,
  Deployment,
  DeploymentRoleEntry,
  Role,
  Team,
  User,
  Workspace,
  WorkspaceRoleEntry,
} from '../astro/types.ts';

/** A token as the planner sees it: `roles` is always present (absent on the wire means []). */
export type ActualToken = ApiToken & { roles: ApiTokenRole[] };

/** A user's or team's whole role set below the organization, as read: each list always present. */
export interface ActualRoleLists {
  workspaceRoles: WorkspaceRoleEntry[];
  deploymentRoles: DeploymentRoleEntry[];
  dagRoles: DagRoleEntry[];
}

/**
 * A user as the planner sees it, read from the organization-wide list or a GET (never from a list
 * filtered by workspace or deployment, which carries part of the roles). The three lists are always
 * present (absent or null on the wire means []); `organizationRole` is a string or null (absent → null).
 */
export type ActualUser = User & ActualRoleLists;

/** A team as the planner sees it: as ActualUser; a team's `organizationRole` is always a string. */
export type ActualTeam = Team & ActualRoleLists;

/**
 * A snapshot of the live organization, read once before planning. Plain data: the planner does no I/O.
 * `roles` holds the organization's custom DEPLOYMENT-scoped roles, `defaultRoles` the API's default
 * DEPLOYMENT roles (DEPLOYMENT_ADMIN, ...): both are read from the API, never assumed.
 * `users` and `teams` are undefined when not read (a manifest without users or teams).
 */
export interface Actual {
  organizationId: string;
  workspaces: Workspace[];
  deployments: Deployment[];
  tokens: ActualToken[];
  roles: Role[];
  defaultRoles: DefaultRole[];
  users?: ActualUser[];
  teams?: ActualTeam[];
}
