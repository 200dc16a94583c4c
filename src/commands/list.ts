import type { AstroReader } from '../astro/api.ts';
import { AstroApiError, UsageError } from '../errors.ts';
import type { ActualToken } from '../astro/actual.ts';
import { parseCommandArgs } from './args.ts';
import { connect } from '../session/session.ts';
import { type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION, sessionOf } from './io.ts';
import { findDeployment } from './find-deployment.ts';
import { KINDS, kindsOf, parseKind, type SubjectKind } from './kind.ts';
import { teamJson, teamRows, teamTable, tokenJson, tokenRows, tokenTable, userJson, userRows, userTable } from './list-rows.ts';
import { organizationIdFrom } from './organization.ts';
import { quote, safeJson } from '../util/sanitize.ts';

export const spec = {
  name: 'list',
  usage: `Usage: astro-access list (--deployment NAME [--workspace NAME] | --deployment-id ID) [--kind KIND] [--all-scopes] [--format table|json]

List what holds a role on one deployment: its workspace API tokens (the default), its users or its
teams, like 'astro deployment token workspace-token list', 'astro deployment user list' and
'astro deployment team list'. Users and teams are read from the organization-wide lists.

Options:
      --deployment NAME      the deployment, by exact name (or give --deployment-id)
      --deployment-id ID     the deployment, by ID
      --workspace NAME|ID    the deployment's workspace: narrows --deployment, checks --deployment-id
      --workspace-id ID      the same, by ID
      --kind KIND            ${KINDS.join(', ')}: what to list (default tokens); all prints a table of each
      --organization-id ID   default $ASTRO_ORGANIZATION_ID, else the manifest's organizationId
  -f, --file FILE            manifest to take the organization from (default astro-access.yaml)
      --all-scopes           show organization and deployment tokens too
      --format FORMAT        table (default) or json (--kind all: {"tokens", "users", "teams"})
      --debug                print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help                 show this help

The organization comes from --organization-id, else ASTRO_ORGANIZATION_ID, else the manifest.

Examples:
  astro-access list --deployment prod
  astro-access list --deployment prod --workspace "Data Platform" --all-scopes
  astro-access list --deployment prod --kind users
  astro-access list --deployment prod --kind teams --format json
  astro-access list --deployment prod --kind all
  astro-access list --deployment-id clvduhrvd000008l842ohcpvb --format json`,
  options: {
    deployment: { type: 'string' },
    'deployment-id': { type: 'string' },
    workspace: { type: 'string' },
    'workspace-id': { type: 'string' },
    kind: { type: 'string' },
    file: { type: 'string', short: 'f', multiple: true },
    'organization-id': { type: 'string' },
    'all-scopes': { type: 'boolean' },
    format: { type: 'string' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
  /** The values shell completion offers after these flags. */
  choices: { kind: KINDS, format: ['table', 'json'] },
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

const HEADINGS: Record<SubjectKind, string> = { tokens: 'API tokens', users: 'Users', teams: 'Teams' };

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
  const kind = parseKind(values.kind ?? 'tokens');
  const kinds = kindsOf(kind);
  if (values['all-scopes'] && !kinds.includes('tokens')) {
    throw new UsageError(`--all-scopes applies to tokens (--kind tokens or all), not to --kind ${kind}`);
  }

  const organizationId = await organizationIdFrom(io, values['organization-id'], values.file ?? []);
  const conn = connect(sessionOf(io), organizationId, { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    const deployment = await findDeployment(conn.reader, {
      deployment: values.deployment,
      deploymentId: values['deployment-id'],
      workspace: values.workspace ?? values['workspace-id'],
    });
    // Only what is shown is read; users and teams from the organization-wide lists (whole role sets).
    const [tokens, users, teams] = await Promise.all([
      kinds.includes('tokens') ? tokensFor(conn.reader, deployment.workspaceId) : [],
      kinds.includes('users') ? conn.reader.listUsers() : [],
      kinds.includes('teams') ? conn.reader.listTeams() : [],
    ]);
    const rows = {
      tokens: tokenRows(tokens, deployment.id, values['all-scopes'] ?? false),
      users: userRows(users, deployment.id),
      teams: teamRows(teams, deployment.id),
    };

    if (format === 'json') {
      const json = {
        tokens: rows.tokens.map(tokenJson),
        users: rows.users.map(userJson),
        teams: rows.teams.map(teamJson),
      };
      io.stdout.write(safeJson(kind === 'all' ? json : json[kind], 2) + '\n');
      return 0;
    }
    const now = Date.now();
    const tables: Record<SubjectKind, () => string> = {
      tokens: () => tokenTable(rows.tokens, now),
      users: () => userTable(rows.users),
      teams: () => teamTable(rows.teams),
    };
    if (kind !== 'all') {
      io.stdout.write(tables[kind]());
      return 0;
    }
    io.stdout.write(kinds.map((k) => `${HEADINGS[k]} (${rows[k].length})\n${tables[k]()}`).join('\n'));
    return 0;
  } finally {
    await conn.close();
  }
}
