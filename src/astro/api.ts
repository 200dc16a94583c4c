import type { ApiTokenRole, DefaultRole, Deployment, Role, SubjectRoles, UpdateSubjectRolesRequest, Workspace } from './types.ts';
import type { ActualTeam, ActualToken, ActualUser } from './actual.ts';

// The two faces of the Astro API client. The planner only ever receives an AstroReader, which has no
// write method at all: a plan cannot write, by construction. Only the executor gets an AstroWriter.

export interface TokenFilter {
  workspaceId?: string;
  deploymentId?: string;
  includeOnlyOrganizationTokens?: boolean;
}

export interface DeploymentFilter {
  workspaceIds?: string[];
  deploymentIds?: string[];
  names?: string[];
}

/** The deployment roles a binding may name: the API's default roles and the organization's custom ones. */
export interface DeploymentRoles {
  /** Custom DEPLOYMENT-scoped roles. */
  roles: Role[];
  /** `defaultRoles` with scopeType DEPLOYMENT (e.g. DEPLOYMENT_ADMIN), as the API lists them. */
  defaultRoles: DefaultRole[];
}

export interface AstroReader {
  readonly organizationId: string;
  /** Every page, `roles` normalized to []. */
  listTokens(filter?: TokenFilter): Promise<ActualToken[]>;
  getToken(tokenId: string): Promise<{ token: ActualToken; requestId: string | undefined }>;
  listDeployments(filter?: DeploymentFilter): Promise<Deployment[]>;
  listWorkspaces(): Promise<Workspace[]>;
  /** The deployment roles, custom and default, from every page of one roles listing. */
  listDeploymentRoles(): Promise<DeploymentRoles>;
  /**
   * Every user of the organization with the whole role set, from every page of the unfiltered list (a
   * list filtered by workspace or deployment carries part of the roles only: never read one to write back).
   */
  listUsers(): Promise<ActualUser[]>;
  /** Every team of the organization with the whole role set, as listUsers. */
  listTeams(): Promise<ActualTeam[]>;
  getUser(userId: string): Promise<{ user: ActualUser; requestId: string | undefined }>;
  getTeam(teamId: string): Promise<{ team: ActualTeam; requestId: string | undefined }>;
}

export interface AstroWriter extends AstroReader {
  /**
   * POST /tokens/{id}/roles with the complete new list. Transient failures are retried; `beforeRetry`
   * runs before each retry and returns the list to send then (or throws to stop).
   */
  replaceTokenRoles(
    tokenId: string,
    roles: ApiTokenRole[],
    opts?: { beforeRetry?: () => Promise<ApiTokenRole[]> },
  ): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
  /**
   * POST /users/{id}/roles: replaces the user's whole role set with `body` (organizationRole and the three
   * lists, sent as arrays even when empty). Retried like replaceTokenRoles. The answer may not show the
   * deployment roles just written (documented for tokens only): confirm with getUser.
   */
  updateUserRoles(
    userId: string,
    body: UpdateSubjectRolesRequest,
    opts?: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> },
  ): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
  /** POST /teams/{id}/roles, as updateUserRoles. */
  updateTeamRoles(
    teamId: string,
    body: UpdateSubjectRolesRequest,
    opts?: { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> },
  ): Promise<{ result: SubjectRoles; requestId: string | undefined }>;
}
