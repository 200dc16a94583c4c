import type { ApiTokenRole } from '../astro/types.ts';
import type { SubjectKey } from './faults.ts';
import type { Query } from './query.ts';
import type { ValidationRules } from './validate-roles.ts';

// What the route handlers take and return, and their configuration. A module of its own so that
// routes.ts (tokens, deployments, ...) and subjects.ts (users, teams) both build on it without
// importing each other.

export interface RouteConfig {
  defaultLimit: number;
  maxLimit: number;
  rules: ValidationRules;
  forbidOrganizationTokenList: boolean;
  /** Entries the server adds of its own on every roles write (astro-api.md, [assumed]). */
  implicitRoles: ApiTokenRole[];
  rolesAnswer: 'full' | 'empty';
  omitTokenRoles: boolean | string[];
  listQuirks: ListQuirks;
  /** Users and teams endpoints (subjects.ts). */
  subjects: SubjectConfig;
}

/** Ways a list endpoint can lie, for the client's tests (all off by default). */
export interface ListQuirks {
  /** Claim this many items more in `totalCount` than are served. */
  overstateTotal?: number;
  /** Serve every page from the start, whatever `offset` says. */
  ignoreOffset?: boolean;
  /** Report a larger `totalCount` on every further page, as a list that never ends would. */
  growingTotal?: boolean;
  /** Answer this `limit` whatever was served: a server that caps pages without saying so. */
  claimLimit?: number;
}

export type SubjectKind = 'users' | 'teams';

/** Switches for the [assumed] behaviour of the users and teams endpoints. */
export interface SubjectConfig {
  /** Kinds whose roles POST gets WORKSPACE_ACCESSOR added on each workspace where a deployment role was
   * given without a workspace role. Default both. */
  workspaceAccessor: SubjectKind[];
  /** 400 for a DAG role on a deployment where the new set gives no deployment role. Default on. */
  dagRoleNeedsDeploymentRole: boolean;
}

export interface ApiRequest {
  method: string;
  /** Path segments after /v1. */
  segments: string[];
  query: Query;
  body: unknown;
  /** The calling token's ID (the JWT's apiTokenId claim), if known. */
  callerId: string | undefined;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** Set when this was a GET of one token, user or team (foreign-write faults count these). */
  read?: SubjectKey;
}
