import type { AstroReader, AstroWriter, DeploymentFilter, DeploymentRoles, TokenFilter } from './api.ts';
import type { AstroClientConfig } from './config.ts';
import { DOCUMENTED_LIMITS, validateBaseUrl } from './config.ts';
import { Transport } from './http.ts';
import type { ClientStats } from './http.ts';
import { readAllPages, readAllPagesWith } from './paginate.ts';
import type { ActualTeam, ActualToken, ActualUser } from './actual.ts';
import { normalizeTeam, normalizeUser, subjectRolesBody } from './subjects.ts';
import type { ApiToken, ApiTokenRole, DefaultRole, Deployment, Role, SubjectRoles, Team, UpdateSubjectRolesRequest, User, Workspace } from './types.ts';
import { USER_AGENT } from '../version.ts';

export type { ClientStats } from './http.ts';

const API_MAX_PAGE = 1000;

export type AstroClient = AstroWriter & { close(): Promise<void>; stats(): ClientStats };

type SubjectWriteOptions = { beforeRetry?: () => Promise<UpdateSubjectRolesRequest> };

/** The full client. Hand the planner `readOnly(client)`, and only the executor the client itself. */
export function createAstroClient(config: AstroClientConfig & { organizationId: string }): AstroClient {
  const transport = new Transport({
    baseUrl: validateBaseUrl(config.baseUrl),
    token: config.token,
    userAgent: config.userAgent ?? USER_AGENT,
    rateLimits: config.rateLimits ?? DOCUMENTED_LIMITS,
    maxAttempts: Math.max(1, config.maxAttempts ?? 6),
    backoff: {
      baseMs: config.backoff?.baseMs ?? 250,
      maxMs: config.backoff?.maxMs ?? 8000,
      retryAfterMaxMs: config.backoff?.retryAfterMaxMs ?? 60_000,
    },
    timeouts: config.timeouts ?? { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 },
    debug: config.debug,
    ...(config.clock !== undefined ? { clock: config.clock } : {}),
    onRetry: config.onRetry,
  });
  // The API refuses a limit above 1000 (a 400), so a larger configured page size is never sent.
  const pageSize = Math.min(API_MAX_PAGE, Math.max(1, config.pageSize ?? API_MAX_PAGE));
  const org = `/organizations/${encodeURIComponent(config.organizationId)}`;

  /** A user's or team's roles POST: the body checked and completed before anything is sent, retries too. */
  async function updateSubjectRoles(path: string, body: UpdateSubjectRolesRequest, opts: SubjectWriteOptions) {
    const { beforeRetry } = opts;
    const { data, requestId } = await transport.request<SubjectRoles>('POST', path, {
      body: subjectRolesBody(path, body),
      ...(beforeRetry ? { beforeRetry: async () => subjectRolesBody(path, await beforeRetry()) } : {}),
    });
    return { result: data, requestId };
  }

  return {
    organizationId: config.organizationId,

    async listTokens(filter: TokenFilter = {}): Promise<ActualToken[]> {
      const tokens = await readAllPages<ApiToken>(transport, `${org}/tokens`, 'tokens', pageSize, {
        workspaceId: filter.workspaceId,
        deploymentId: filter.deploymentId,
        includeOnlyOrganizationTokens: filter.includeOnlyOrganizationTokens,
      });
      return tokens.map(normalizeToken);
    },

    async getToken(tokenId: string) {
      const { data, requestId } = await transport.request<ApiToken>('GET', `${org}/tokens/${encodeURIComponent(tokenId)}`);
      return { token: normalizeToken(data), requestId };
    },

    async listDeployments(filter: DeploymentFilter = {}): Promise<Deployment[]> {
      const deployments = await readAllPages<Deployment>(transport, `${org}/deployments`, 'deployments', pageSize, {
        workspaceIds: filter.workspaceIds,
        deploymentIds: filter.deploymentIds,
        names: filter.names,
      });
      return deployments;
    },

    async listWorkspaces(): Promise<Workspace[]> {
      return readAllPages<Workspace>(transport, `${org}/workspaces`, 'workspaces', pageSize);
    },

    async listDeploymentRoles(): Promise<DeploymentRoles> {
      const { items, also } = await readAllPagesWith<Role, DefaultRole>(transport, `${org}/roles`, 'roles', 'defaultRoles', pageSize, {
        scopeTypes: 'DEPLOYMENT',
        includeDefaultRoles: true,
      });
      // Filter here too: the client must not depend on the server honouring scopeTypes.
      const seen = new Set<string>();
      const defaultRoles = also.filter(
        (r) => r !== null && typeof r === 'object' && r.scopeType === 'DEPLOYMENT' && typeof r.name === 'string' && !seen.has(r.name) && (seen.add(r.name), true),
      );
      return { roles: items.filter((r) => r.scopeType === 'DEPLOYMENT'), defaultRoles };
    },

    async replaceTokenRoles(tokenId: string, roles: ApiTokenRole[], opts: { beforeRetry?: () => Promise<ApiTokenRole[]> } = {}) {
      const { beforeRetry } = opts;
      const { data, requestId } = await transport.request<SubjectRoles>(
        'POST',
        `${org}/tokens/${encodeURIComponent(tokenId)}/roles`,
        { body: { roles }, ...(beforeRetry ? { beforeRetry: async () => ({ roles: await beforeRetry() }) } : {}) },
      );
      return { result: data, requestId };
    },

    async listUsers(): Promise<ActualUser[]> {
      return (await readAllPages<User>(transport, `${org}/users`, 'users', pageSize)).map(normalizeUser);
    },

    async listTeams(): Promise<ActualTeam[]> {
      return (await readAllPages<Team>(transport, `${org}/teams`, 'teams', pageSize)).map(normalizeTeam);
    },

    async getUser(userId: string) {
      const { data, requestId } = await transport.request<User>('GET', `${org}/users/${encodeURIComponent(userId)}`);
      return { user: normalizeUser(data), requestId };
    },

    async getTeam(teamId: string) {
      const { data, requestId } = await transport.request<Team>('GET', `${org}/teams/${encodeURIComponent(teamId)}`);
      return { team: normalizeTeam(data), requestId };
    },

    updateUserRoles: (userId: string, body: UpdateSubjectRolesRequest, opts: SubjectWriteOptions = {}) =>
      updateSubjectRoles(`${org}/users/${encodeURIComponent(userId)}/roles`, body, opts),

    updateTeamRoles: (teamId: string, body: UpdateSubjectRolesRequest, opts: SubjectWriteOptions = {}) =>
      updateSubjectRoles(`${org}/teams/${encodeURIComponent(teamId)}/roles`, body, opts),

    close: () => transport.close(),
    stats: () => transport.stats(),
  };
}

/**
 * A view with the reader methods only: no `replaceTokenRoles`, `updateUserRoles` or `updateTeamRoles`
 * property exists on it, so code holding it
 * (the planner) cannot write, by construction.
 */
export function readOnly(client: AstroReader): AstroReader {
  return Object.freeze({
    organizationId: client.organizationId,
    listTokens: (filter?: TokenFilter) => client.listTokens(filter),
    getToken: (tokenId: string) => client.getToken(tokenId),
    listDeployments: (filter?: DeploymentFilter) => client.listDeployments(filter),
    listWorkspaces: () => client.listWorkspaces(),
    listDeploymentRoles: () => client.listDeploymentRoles(),
    listUsers: () => client.listUsers(),
    listTeams: () => client.listTeams(),
    getUser: (userId: string) => client.getUser(userId),
    getTeam: (teamId: string) => client.getTeam(teamId),
  });
}

/** `roles` may be absent on the wire; the rest of the program can rely on an array. */
function normalizeToken(token: ApiToken): ActualToken {
  return { ...token, roles: Array.isArray(token.roles) ? token.roles : [] };
}
