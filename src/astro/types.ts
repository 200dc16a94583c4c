// Wire shapes of the Astro API v1, following schemas/astro-api.schema.json.
// The real API may send more fields; only the ones astro-access reads are typed.

export type EntityType = 'ORGANIZATION' | 'WORKSPACE' | 'DEPLOYMENT' | 'DAG' | 'DAG_TAG';
export type TokenScope = 'ORGANIZATION' | 'WORKSPACE' | 'DEPLOYMENT';

export interface BasicSubjectProfile {
  id: string;
  subjectType?: 'USER' | 'SERVICEKEY';
  fullName?: string;
  username?: string;
  avatarUrl?: string;
  apiTokenName?: string;
}

export interface ApiTokenRole {
  entityType: EntityType;
  entityId: string;
  role: string;
  /** Only on DAG and DAG_TAG entries. */
  deploymentId?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  description: string;
  shortToken: string;
  scope: TokenScope;
  kind: 'STANDARD' | 'DIRECT_ACCESS';
  /** May be absent on the wire; the client normalizes it to []. */
  roles?: ApiTokenRole[];
  startAt: string;
  endAt?: string;
  expiryPeriodInDays?: number;
  lastUsedAt?: string;
  lastRotatedAt?: string;
  createdAt: string;
  updatedAt: string;
  createdBy?: BasicSubjectProfile;
  updatedBy?: BasicSubjectProfile;
}

export interface Deployment {
  id: string;
  name: string;
  workspaceId: string;
  workspaceName?: string;
  organizationId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  [extra: string]: unknown;
}

export interface Workspace {
  id: string;
  name: string;
  organizationId: string;
  organizationName?: string;
  description?: string;
  cicdEnforcedDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
  scopeType: 'DEPLOYMENT' | 'WORKSPACE' | 'ORGANIZATION';
  restrictedWorkspaceIds: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: BasicSubjectProfile;
  updatedBy: BasicSubjectProfile;
}

export interface DefaultRole {
  name: string;
  description?: string;
  scopeType: 'DAG' | 'DEPLOYMENT' | 'ORGANIZATION' | 'SYSTEM' | 'WORKSPACE';
  permissions: string[];
}

export interface SubjectRoles {
  organizationRole?: string;
  workspaceRoles?: { workspaceId: string; role: string }[];
  deploymentRoles?: { deploymentId: string; role: string }[];
  dagRoles?: { deploymentId: string; role: string; dagId?: string; dagTag?: string }[];
}

export interface ApiErrorBody {
  message: string;
  requestId: string;
  statusCode: number;
  fieldErrors?: { field: string; code: string; message: string }[];
}

export interface Paginated {
  totalCount: number;
  offset: number;
  limit: number;
}
export interface ApiTokensPaginated extends Paginated { tokens: ApiToken[] }
export interface DeploymentsPaginated extends Paginated { deployments: Deployment[] }
export interface WorkspacesPaginated extends Paginated { workspaces: Workspace[] }
export interface RolesPaginated extends Paginated { roles: Role[]; defaultRoles?: DefaultRole[] }

/** The built-in deployment role every deployment accepts. */
export const DEPLOYMENT_ADMIN = 'DEPLOYMENT_ADMIN';
