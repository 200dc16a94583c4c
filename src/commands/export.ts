import { writeOutputFile } from '../render/output.ts';
import { readActual } from '../astro/read-actual.ts';
import { UsageError } from '../errors.ts';
import { parseCommandArgs } from './args.ts';
import { connect, say, type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION } from './context.ts';
import { exportManifest } from './export-manifest.ts';
import { organizationIdFrom } from './list.ts';
import { quote } from '../render/sanitize.ts';

const spec = {
  name: 'export',
  usage: `Usage: astro-access export [--workspace NAME|ID]... [--organization-id ID] [-o FILE]

Write a manifest of the deployment roles that are live now, to start managing an organization:
'astro-access plan' on it right away shows no changes. Names are used where they are unique,
IDs (with the name in a comment) where they collide. Deployment-scoped tokens are left out.

Options:
      --workspace NAME|ID    export only these workspaces (repeatable; default all)
      --organization-id ID   default $ASTRO_ORGANIZATION_ID
  -o, --out FILE             write to FILE instead of stdout (refuses to overwrite an existing file)
      --debug                print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help                 show this help`,
  options: {
    workspace: { type: 'string', multiple: true },
    'organization-id': { type: 'string' },
    out: { type: 'string', short: 'o' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export async function exportCommand(io: Io, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  const conn = connect(io, organizationIdFrom(io, values['organization-id']), { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    const { actual, warnings } = await readActual(conn.reader, {});
    for (const w of warnings) say(io, `warning: ${w}`);
    const { text, missing, problems } = exportManifest(actual, { workspaces: values.workspace ?? [] });
    if (missing.length > 0) throw new UsageError(`no workspace named or with ID: ${missing.map(quote).join(', ')}`);
    if (problems.length > 0) {
      // Nothing is written: a manifest that would not read back as what is live would plan changes.
      throw new UsageError(`export refused: the organization holds values a manifest cannot carry:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    if (values.out) {
      await writeOutputFile(io.env, values.out, { text }, { exclusive: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new UsageError(`${values.out} exists; not overwriting it`);
        throw err;
      });
      say(io, `Wrote ${values.out}.`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  } finally {
    await conn.close();
  }
}
