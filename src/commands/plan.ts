import { writeOutputFile } from '../render/output.ts';
import { UsageError } from '../errors.ts';
import { checkGuards } from '../plan/guards.ts';
import { tokenIdFromJwt } from '../astro/jwt.ts';
import type { Plan } from '../plan/types.ts';
import { renderJson } from '../render/json.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { shouldUseColor } from '../render/color.ts';
import { renderText } from '../render/text.ts';
import { parseCommandArgs, parseCount } from './args.ts';
import { connect, DEFAULT_MANIFEST, loadDesired, planLive } from '../session/session.ts';
import { say, type Io, RATE_LIMIT_HELP, RATE_LIMIT_OPTION, sessionOf } from './io.ts';
import { checkOutputPath } from './output-paths.ts';
import { quote } from '../util/sanitize.ts';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const spec = {
  name: 'plan',
  usage: `Usage: astro-access plan [-f FILE]... [--format text|markdown|json] [--out PLAN.json] [--detailed-exitcode]

Compare the manifest with the live Astro API and show the add / update / remove actions that apply
would make. A plan only reads: it has no way to write.

Options:
  -f, --file FILE          manifest file (repeatable; default astro-access.yaml)
      --format FORMAT      text (default), markdown or json
      --out PLAN.json      also save the JSON plan, for 'astro-access apply PLAN.json' (checked before
                           the first request; never one of the -f files)
      --detailed-exitcode  exit 2 when there are changes, 0 when there are none
      --max-removals N     guard limit shown with the plan (default 50)
      --debug              print each API request (the token is never printed) to stderr
${RATE_LIMIT_HELP}
  -h, --help               show this help

Environment:
  ASTRO_API_TOKEN   an Astro API token (required)
  ASTRO_API_URL     default https://api.astronomer.io/v1

Exit codes: 0 success, 1 error, 2 changes present (with --detailed-exitcode).

Examples:
  astro-access plan
  astro-access plan -f astro-access.yaml --out plan.json     # then: astro-access apply plan.json
  astro-access plan --format markdown > plan.md
  astro-access plan --detailed-exitcode || echo "changes (2) or error (1)"`,
  options: {
    file: { type: 'string', short: 'f', multiple: true },
    format: { type: 'string' },
    out: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    'max-removals': { type: 'string' },
    debug: { type: 'boolean' },
    ...RATE_LIMIT_OPTION,
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export function parseFormat(value: string | undefined): Format {
  const format = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${quote(format)}`);
  }
  return format as Format;
}

export function renderPlan(io: Io, plan: Plan, format: Format): string {
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown') return renderMarkdown(plan);
  return renderText(plan, { color: shouldUseColor(io.stdout, io.env) });
}

export async function planCommand(io: Io, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(spec, argv);
  if (values.help) {
    io.stdout.write(spec.usage + '\n');
    return 0;
  }
  const format = parseFormat(values.format);
  const maxRemovals = parseCount(values['max-removals'], '--max-removals', 50);
  const desired = await loadDesired(sessionOf(io), values.file ?? []);
  if (values.out) await checkOutputPath(values.out, '--out', values.file ?? [DEFAULT_MANIFEST]);
  const conn = connect(sessionOf(io), desired.organizationId, { debug: values.debug ?? false, rateLimit: values['rate-limit'] });
  try {
    const { plan } = await planLive(sessionOf(io), desired, conn.reader);
    io.stdout.write(renderPlan(io, plan, format));
    if (values.out) {
      await writeOutputFile(io.env, values.out, { text: renderJson(plan) });
      say(io, `Saved the plan to ${values.out}. Apply exactly this plan with: astro-access apply ${values.out}`);
    }
    const self = tokenIdFromJwt(conn.token);
    const guards = checkGuards(plan, { maxRemovals, selfTokenId: self.id, allowUnsafe: false });
    for (const v of guards.violations) say(io, `warning: apply would refuse this plan: ${v}`);
    return values['detailed-exitcode'] && plan.actions.length > 0 ? 2 : 0;
  } finally {
    await conn.close();
  }
}
