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

// Users and teams (IAM), from the v1 API as astro-cli's generated client (astro-client-v1) has it
// (src/emulator/README.md, "Users and teams"). The client hands them on as ActualUser / ActualTeam.

export type UserStatus = 'ACTIVE' | 'INACTIVE' | 'PENDING' | 'BANNED';
export interface WorkspaceRoleEntry { workspaceId: string; role: string }
export interface DeploymentRoleEntry { deploymentId: string; role: string }
/** Exactly one of dagId and dagTag. */
export interface DagRoleEntry { deploymentId: string; role: string; dagId?: string; dagTag?: string }

/** A subject's whole role set, as a User or Team carries it and as the roles POST replaces it. */
export interface SubjectRoleSet {
  workspaceRoles?: WorkspaceRoleEntry[];
  deploymentRoles?: DeploymentRoleEntry[];
  dagRoles?: DagRoleEntry[];
}

export interface User extends SubjectRoleSet {
  id: string;
  /** The user's email. */
  username: string;
  /** Required by the API's schema, but read leniently (an invited user may have none): may be absent. */
  fullName?: string;
  avatarUrl?: string;
  status: UserStatus;
  /** Optional in the schema; may arrive null. */
  organizationRole?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface Team extends SubjectRoleSet {
  id: string;
  name: string;
  description?: string;
  isIdpManaged: boolean;
  /** Required by the API's schema; read leniently, so these may be absent. */
  organizationId?: string;
  organizationRole: string;
  rolesCount?: number;
  createdAt?: string;
  updatedAt?: string;
  createdBy?: BasicSubjectProfile;
  updatedBy?: BasicSubjectProfile;
}

export interface UsersPaginated extends Paginated { users: User[] }
export interface TeamsPaginated extends Paginated { teams: Team[] }

/** Body of POST /users/{id}/roles and /teams/{id}/roles: replaces the whole set. */
export interface UpdateSubjectRolesRequest extends SubjectRoleSet {
  organizationRole: string;
}
