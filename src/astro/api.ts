import type { ApiTokenRole, DefaultRole, Deployment, Role, SubjectRoles, Workspace } from './types.ts';
import type { ActualToken } from './actual.ts';

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
}
