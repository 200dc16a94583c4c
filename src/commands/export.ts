import { parse } from 'yaml';
import { writeOutputFile } from '../render/output.ts';
import { readActual } from '../astro/read-actual.ts';
import type { Actual } from '../astro/actual.ts';
import { AstroApiError, UsageError } from '../errors.ts';
import { didYouMean } from '../util/closest.ts';
import { parseCommandArgs } from './args.ts';
import { connect, loadDesired } from '../session/session.ts';
import { say, type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION, sessionOf } from './io.ts';
import { exportManifest, type LikeSettings } from './export-manifest.ts';
import { KINDS, kindsOf, parseKind } from './kind.ts';
import { organizationIdFrom } from './organization.ts';
import { isRecord } from '../util/is-record.ts';
import { readCapped } from '../util/read-capped.ts';
import { MAX_FILE_BYTES } from '../manifest/limits.ts';
import { quote } from '../util/sanitize.ts';

export const spec = {
  name: 'export',
  usage: `Usage: astro-access export [--workspace NAME|ID]... [--kind KIND] [--organization-id ID] [--like FILE] [-o FILE [--force]]

Write a manifest of the deployment roles that are live now, to start managing an organization:
'astro-access plan' on it right away shows no changes. Names are used where they are unique,
IDs (with the name in a comment) where they collide. Deployment-scoped tokens are left out.
Every deployment lists its workspace and organization tokens; it lists users and teams where any
hold a role on it (read from the organization-wide lists), so elsewhere they stay unmanaged.
The first line points editors with the YAML language server at the manifest's JSON Schema.

Options:
      --workspace NAME|ID    export only these workspaces (repeatable; default all)
      --kind KIND            ${KINDS.join(', ')}: what to export (default all). Without --kind, users or
                             teams the API token may not list (403) are left out with a warning
      --organization-id ID   default $ASTRO_ORGANIZATION_ID, else the manifest's organizationId
  -f, --file FILE            manifest to take the organization from (default --like FILE, else astro-access.yaml)
      --like FILE            carry over this manifest's ignore, protect and prune settings
  -o, --out FILE             write to FILE instead of stdout (refuses to overwrite an existing file)
      --force                overwrite FILE if it exists
      --schema URL|PATH      the $schema of the first-line modeline (default: the published schema)
      --debug                print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help                 show this help

The organization comes from --organization-id, else ASTRO_ORGANIZATION_ID, else the manifest.

Examples:
  astro-access export --organization-id clx42kkcm01fo01o06agtmshg -o astro-access.yaml
  astro-access export --workspace "Data Platform" > data-platform.yaml
  astro-access export --kind tokens -o tokens.yaml
  astro-access export --like astro-access.yaml -o astro-access.yaml --force   # refresh, keeping settings`,
  options: {
    workspace: { type: 'string', multiple: true },
    kind: { type: 'string' },
    'organization-id': { type: 'string' },
    file: { type: 'string', short: 'f', multiple: true },
    like: { type: 'string' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    schema: { type: 'string' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
  /** The values shell completion offers after these flags. */
  choices: { kind: KINDS },
} as const;

export async function exportCommand(io: Io, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  if (values.force && !values.out) throw new UsageError('--force only applies with -o FILE');
  const kinds = kindsOf(parseKind(values.kind ?? 'all'));
  // Everything that can fail offline fails before the first request.
  const like = values.like ? await likeSettings(io, values.like) : undefined;
  const files = values.file ?? (values.like ? [values.like] : []);
  const organizationId = await organizationIdFrom(io, values['organization-id'], files);
  const conn = connect(sessionOf(io), organizationId, { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    const optional = values.kind === undefined;
    const [read, users, teams] = await Promise.all([
      readActual(conn.reader, {}),
      kinds.includes('users') ? subjects(io, () => conn.reader.listUsers(), 'users', optional) : undefined,
      kinds.includes('teams') ? subjects(io, () => conn.reader.listTeams(), 'teams', optional) : undefined,
    ]);
    for (const w of read.warnings) say(io, `warning: ${w}`);
    const actual: Actual = { ...read.actual, ...(users ? { users } : {}), ...(teams ? { teams } : {}) };
    const { text, missing, problems } = exportManifest(actual, {
      workspaces: values.workspace ?? [],
      kinds,
      ...(like ? { like } : {}),
      ...(values.schema ? { schema: values.schema } : {}),
    });
    if (missing.length > 0) {
      const names = actual.workspaces.map((w) => w.name);
      throw new UsageError(missing.map((m) => `no workspace named or with ID ${quote(m)}${didYouMean(m, names)}`).join('; '));
    }
    if (problems.length > 0) {
      // Nothing is written: a manifest that would not read back as what is live would plan changes.
      throw new UsageError(`export refused: the organization holds values a manifest cannot carry:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    if (values.out) {
      await writeOut(io, values.out, text, values.force ?? false);
      say(io, `Wrote ${values.out}.`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  } finally {
    await conn.close();
  }
}

/**
 * The organization's users or teams. When the kind was not asked for by name (the default, all), a list the
 * API token may not read (403) leaves that kind out of the manifest, which then does not manage it, and says so;
 * asked for with --kind, it is an error.
 */
async function subjects<T>(io: Io, list: () => Promise<T[]>, what: 'users' | 'teams', optional: boolean): Promise<T[] | undefined> {
  try {
    return await list();
  } catch (err) {
    if (!optional || !(err instanceof AstroApiError) || err.status !== 403) throw err;
    say(io, `warning: ${what} were not exported: the API token may not list them (403); the manifest leaves ${what} unmanaged (pass --kind tokens to say so)`);
    return undefined;
  }
}

/** The settings of an existing manifest, validated like any manifest first. */
async function likeSettings(io: Io, file: string): Promise<LikeSettings> {
  const desired = await loadDesired(sessionOf(io), [file]);
  // Read again only for the file-wide `prune`, under the same cap (the loader has just accepted the file).
  const raw: unknown = parse(new TextDecoder().decode(await readCapped(file, MAX_FILE_BYTES)));
  const prune = isRecord(raw) && typeof raw['prune'] === 'boolean' ? raw['prune'] : undefined;
  return { ...desired, ...(prune !== undefined ? { prune } : {}) };
}

/** Without --force an existing file is never touched. */
async function writeOut(io: Io, path: string, text: string, force: boolean): Promise<void> {
  await writeOutputFile(io.env, path, { text }, { exclusive: !force }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new UsageError(`${path} exists; not overwriting it (pass --force to replace it)`);
    throw err;
  });
}
