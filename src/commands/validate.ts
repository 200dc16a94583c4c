import { parseCommandArgs } from './args.ts';
import { loadDesired } from '../session/session.ts';
import { type Io, sessionOf } from './io.ts';
import { plural } from '../util/plural.ts';
import { BINDING_KINDS } from '../manifest/raw.ts';

export const spec = {
  name: 'validate',
  usage: `Usage: astro-access validate [-f FILE]...

Check manifest files offline: YAML syntax, the schema, duplicates across files. No API call, no token needed.
Every problem is reported at once as file:line:col: message.

Options:
  -f, --file FILE   manifest file (repeatable; default astro-access.yaml)
  -h, --help        show this help

Examples:
  astro-access validate
  astro-access validate -f teams/data.yaml -f teams/analytics.yaml`,
  options: {
    file: { type: 'string', short: 'f', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export async function validateCommand(io: Io, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  const desired = await loadDesired(sessionOf(io), values.file ?? []);
  const bindings = desired.deployments.reduce(
    (n, d) => BINDING_KINDS.reduce((m, { listKey }) => m + (d[listKey]?.length ?? 0), n),
    0,
  );
  io.stdout.write(
    `Valid: ${plural(desired.files.length, 'file')}, ${plural(desired.deployments.length, 'deployment')}, ` +
      `${plural(bindings, 'binding')}.\n`,
  );
  return 0;
}
