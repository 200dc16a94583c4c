import type {
  ApiToken, ApiTokenRole, DagRoleEntry, DefaultRole, Deployment, DeploymentRoleEntry, Role, Team, User, Workspace, WorkspaceRoleEntry,
} from '../astro/types.ts';

/** A token as the planner sees it: `roles` is always present (absent on the wire means []). */
export type ActualToken = ApiToken & { roles: ApiTokenRole[] };

/** A subject's three role lists, always present (absent or null on the wire means []). */
interface RoleLists {
  workspaceRoles: WorkspaceRoleEntry[];
  deploymentRoles: DeploymentRoleEntry[];
  dagRoles: DagRoleEntry[];
}

/** A user as the planner sees it; `organizationRole` stays `string | null` (absent → null). */
export type ActualUser = Omit<User, 'organizationRole'> & RoleLists & { organizationRole: string | null };
export type ActualTeam = Team & RoleLists;

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
  /** Undefined when not read (a manifest without users). */
  users?: ActualUser[];
  /** Undefined when not read (a manifest without teams). */
  teams?: ActualTeam[];
}
