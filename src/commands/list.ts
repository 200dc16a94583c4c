import type { AstroReader } from '../astro/api.ts';
import { AstroApiError, UsageError } from '../errors.ts';
import type { ActualToken } from '../astro/actual.ts';
import { formatTable, relativeTime } from '../render/table.ts';
import { parseCommandArgs } from './args.ts';
import { connect } from '../session/session.ts';
import { type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION, sessionOf } from './io.ts';
import { findDeployment } from './find-deployment.ts';
import { organizationIdFrom } from './organization.ts';
import { quote, safeJson } from '../util/sanitize.ts';

export const spec = {
  name: 'list',
  usage: `Usage: astro-access list (--deployment NAME [--workspace NAME] | --deployment-id ID) [--all-scopes] [--format table|json]

List the workspace API tokens that hold a role on one deployment, like
'astro deployment token workspace-token list'.

Options:
      --deployment NAME      the deployment, by exact name (or give --deployment-id)
      --deployment-id ID     the deployment, by ID
      --workspace NAME|ID    the deployment's workspace: narrows --deployment, checks --deployment-id
      --workspace-id ID      the same, by ID
      --organization-id ID   default $ASTRO_ORGANIZATION_ID, else the manifest's organizationId
  -f, --file FILE            manifest to take the organization from (default astro-access.yaml)
      --all-scopes           show organization and deployment tokens too
      --format FORMAT        table (default) or json
      --debug                print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help                 show this help

The organization comes from --organization-id, else ASTRO_ORGANIZATION_ID, else the manifest.

Examples:
  astro-access list --deployment prod
  astro-access list --deployment prod --workspace "Data Platform" --all-scopes
  astro-access list --deployment-id clvduhrvd000008l842ohcpvb --format json`,
  options: {
    deployment: { type: 'string' },
    'deployment-id': { type: 'string' },
    workspace: { type: 'string' },
    'workspace-id': { type: 'string' },
    file: { type: 'string', short: 'f', multiple: true },
    'organization-id': { type: 'string' },
    'all-scopes': { type: 'boolean' },
    format: { type: 'string' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
} as const;

/** Tokens org-wide; a token that may not list org-wide (403) lists its workspace instead. */
async function tokensFor(reader: AstroReader, workspaceId: string): Promise<ActualToken[]> {
  try {
    return await reader.listTokens();
  } catch (err) {
    if (err instanceof AstroApiError && err.status === 403) return reader.listTokens({ workspaceId });
    throw err;
  }
}

function createdBy(t: ActualToken): string {
  return t.createdBy?.fullName ?? t.createdBy?.apiTokenName ?? '';
}

export async function listCommand(io: Io, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  if (values.workspace !== undefined && values['workspace-id'] !== undefined) {
    throw new UsageError('give --workspace or --workspace-id, not both');
  }
  if (values.deployment !== undefined && values['deployment-id'] !== undefined) {
    throw new UsageError('give --deployment NAME or --deployment-id ID, not both');
  }
  if (values.deployment === undefined && values['deployment-id'] === undefined) {
    throw new UsageError("give --deployment NAME or --deployment-id ID. Run 'astro-access list --help' for usage.");
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got ${quote(format)}`);

  const organizationId = await organizationIdFrom(io, values['organization-id'], values.file ?? []);
  const conn = connect(sessionOf(io), organizationId, { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    const deployment = await findDeployment(conn.reader, {
      deployment: values.deployment,
      deploymentId: values['deployment-id'],
      workspace: values.workspace ?? values['workspace-id'],
    });
    const deploymentId = deployment.id;
    const rows = (await tokensFor(conn.reader, deployment.workspaceId))
      .filter((t) => values['all-scopes'] || t.scope === 'WORKSPACE')
      .flatMap((t) => {
        const entry = t.roles.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === deploymentId);
        return entry ? [{ token: t, role: entry.role }] : [];
      })
      .sort((a, b) => a.token.name.localeCompare(b.token.name) || a.token.id.localeCompare(b.token.id));

    if (format === 'json') {
      const out = rows.map(({ token, role }) => ({
        id: token.id,
        name: token.name,
        description: token.description,
        scope: token.scope,
        deploymentRole: role,
        createdAt: token.createdAt,
        createdBy: createdBy(token),
      }));
      io.stdout.write(safeJson(out, 2) + '\n');
      return 0;
    }
    const now = Date.now();
    io.stdout.write(
      formatTable(
        ['ID', 'NAME', 'DESCRIPTION', 'SCOPE', 'DEPLOYMENT ROLE', 'CREATED', 'CREATED BY'],
        rows.map(({ token, role }) => [
          token.id,
          token.name,
          token.description,
          token.scope,
          role,
          relativeTime(token.createdAt, now),
          createdBy(token),
        ]),
      ),
    );
    return 0;
  } finally {
    await conn.close();
  }
}
