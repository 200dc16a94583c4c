import { AstroApiError } from '../errors.ts';
import type { Actual, ActualToken } from './actual.ts';
import type { AstroReader } from './api.ts';
import type { Workspace } from './types.ts';
import { plural } from '../util/plural.ts';

/**
 * Reads the snapshot the planner works from: workspaces, deployments, tokens and custom deployment roles,
 * and users and teams when asked (`users`, `teams`: a manifest that binds them), concurrently, each list
 * read page by page exactly once (no per-item GETs). Users and teams come from the organization-wide
 * lists only, which carry each subject's whole role set.
 *
 * Tokens are listed organization-wide. If that is refused (403, e.g. a workspace-scoped API token), tokens
 * are listed per managed workspace (named in `workspaceIds` or `workspaceNames`, or every listed
 * workspace when neither is given), plus the organization tokens when that is allowed, and a warning
 * says so.
 */
export interface ReadActualOptions {
  workspaceIds?: string[];
  workspaceNames?: string[];
  /** Read the organization's users (Actual.users); left undefined otherwise. */
  users?: boolean;
  /** Read the organization's teams (Actual.teams); left undefined otherwise. */
  teams?: boolean;
}

export async function readActual(
  reader: AstroReader,
  opts: ReadActualOptions,
): Promise<{ actual: Actual; warnings: string[] }> {
  const warnings: string[] = [];
  const workspacesRead = reader.listWorkspaces();
  const [workspaces, deployments, tokens, roles, users, teams] = await Promise.all([
    workspacesRead,
    reader.listDeployments(),
    readTokens(reader, opts, workspacesRead, warnings),
    reader.listDeploymentRoles(),
    opts.users === true ? reader.listUsers() : undefined,
    opts.teams === true ? reader.listTeams() : undefined,
  ]);
  if (roles.defaultRoles.length === 0) {
    warnings.push('the API listed no default deployment roles (defaultRoles with scopeType DEPLOYMENT): only custom roles can be bound');
  }
  return {
    actual: {
      organizationId: reader.organizationId,
      workspaces,
      deployments,
      tokens,
      roles: roles.roles,
      defaultRoles: roles.defaultRoles,
      ...(users !== undefined ? { users } : {}),
      ...(teams !== undefined ? { teams } : {}),
    },
    warnings,
  };
}

async function readTokens(
  reader: AstroReader,
  managed: ReadActualOptions,
  workspacesRead: Promise<Workspace[]>,
  warnings: string[],
): Promise<ActualToken[]> {
  try {
    return await reader.listTokens();
  } catch (err) {
    if (!isForbidden(err)) throw err;
  }
  const listed = await workspacesRead;
  const named = managed.workspaceIds !== undefined || managed.workspaceNames !== undefined;
  const names = new Set(managed.workspaceNames ?? []);
  const ids = [
    ...new Set([
      ...(managed.workspaceIds ?? []),
      ...listed.filter((w) => !named || names.has(w.name)).map((w) => w.id),
    ]),
  ].sort();
  const [perWorkspace, orgTokens] = await Promise.all([
    Promise.all(ids.map((workspaceId) => reader.listTokens({ workspaceId }))),
    reader.listTokens({ includeOnlyOrganizationTokens: true }).catch((err: unknown) => {
      if (!isForbidden(err)) throw err;
      return undefined;
    }),
  ]);
  warnings.push(
    `the API token may not list tokens organization-wide (403): tokens were listed per workspace instead (${plural(ids.length, 'workspace')})` +
      (orgTokens === undefined
        ? '; organization tokens could not be listed either (403), so their bindings are not visible'
        : ', plus the organization tokens'),
  );
  const byId = new Map<string, ActualToken>();
  for (const token of [...perWorkspace.flat(), ...(orgTokens ?? [])]) {
    if (!byId.has(token.id)) byId.set(token.id, token);
  }
  return [...byId.values()];
}

function isForbidden(err: unknown): boolean {
  return err instanceof AstroApiError && err.status === 403;
}
