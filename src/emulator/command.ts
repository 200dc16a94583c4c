import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Fault } from './faults.ts';
import { DOCUMENTED_RATE_LIMITS } from './rate-limit.ts';
import { startEmulator } from './server.ts';
import { parseSubjectRolesBody } from './subjects.ts';

// `astro-access emulator`: serve the emulated Astro API until SIGINT/SIGTERM.

const EMULATOR_USAGE = `Usage: astro-access emulator [options]

Serves the Astro API v1 endpoints astro-access uses, from an in-memory state, on loopback.

Options:
  --state FILE     emulator state (JSON; schemas/emulator-state.schema.json); default examples/emulator-state.json
  --port N         port to listen on; 0 picks a free one (default 0)
  --host H         address to listen on (default 127.0.0.1)
  --token T        accept only this bearer token (default: any non-empty one)
  --rate-limits    enforce the documented per-token limits (GET 25/s, POST 10/s, DELETE 5/s)
  --latency MS     add MS milliseconds to every answer
  --max-limit N    cap page sizes at N (default 1000; above 1000 is always a 400)
  --dag-rule       refuse a roles write leaving DAG/DAG_TAG roles on a deployment without a DEPLOYMENT role there
  --null-lists     send every empty list as null, as the real API may (e.g. restrictedWorkspaceIds: null)
  --fault JSON     inject a fault (repeatable), e.g. '{"kind":"status","status":503,"times":2,"path":"/tokens/*/roles"}'
                   kinds: status, delay, reset, hang, malformed, foreignWrite (see src/emulator/README.md)
  -h, --help       show this help

Point astro-access at it with ASTRO_API_URL=<the URL printed> and any ASTRO_API_TOKEN.

Examples:
  astro-access emulator --port 8080
  astro-access emulator --state my-org.json --rate-limits
  astro-access emulator --fault '{"kind":"status","status":429,"times":3,"method":"POST"}'
`;

export const EMULATOR_OPTIONS = {
  state: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'rate-limits': { type: 'boolean' },
  latency: { type: 'string' },
  'max-limit': { type: 'string' },
  'dag-rule': { type: 'boolean' },
  'null-lists': { type: 'boolean' },
  fault: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the command writes; the CLI passes its own streams, so an in-process run can capture them. */
export interface EmulatorStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function runEmulatorCommand(argv: string[], out: EmulatorStreams = process): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: EMULATOR_OPTIONS }));
  } catch (err) {
    out.stderr.write(`astro-access emulator: ${(err as Error).message}\n\n${EMULATOR_USAGE}`);
    return 1;
  }
  if (values.help === true) {
    out.stdout.write(EMULATOR_USAGE);
    return 0;
  }
  const port = intOption(out, '--port', values.port);
  const latency = intOption(out, '--latency', values.latency);
  const maxLimit = intOption(out, '--max-limit', values['max-limit']);
  if (port === null || latency === null || maxLimit === null) return 1;
  const faults: Fault[] = [];
  for (const text of values.fault ?? []) {
    const f = parseFault(out, text);
    if (f === undefined) return 1;
    faults.push(f);
  }

  let emulator;
  try {
    emulator = await startEmulator({
      state: values.state ?? defaultStatePath(),
      port: port ?? 0,
      host: values.host ?? '127.0.0.1',
      ...(values.token === undefined ? {} : { token: values.token }),
      rateLimits: values['rate-limits'] === true ? DOCUMENTED_RATE_LIMITS : false,
      latencyMs: latency ?? 0,
      ...(maxLimit === undefined ? {} : { maxLimit }),
      ...(values['dag-rule'] === true ? { validation: { dagRoleNeedsDeploymentRole: true } } : {}),
      nullLists: values['null-lists'] === true,
    });
  } catch (err) {
    out.stderr.write(`astro-access emulator: ${(err as Error).message}\n`);
    return 1;
  }
  for (const f of faults) emulator.fault(f);
  out.stdout.write(`Astro API emulator listening on ${emulator.url}\n`);
  const running = emulator;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  out.stderr.write('Astro API emulator stopped\n');
  return 0;
}

/** undefined when absent, null (after saying why) when not a non-negative integer. */
function intOption(out: EmulatorStreams, name: string, v: string | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  out.stderr.write(`astro-access emulator: ${name} must be a non-negative integer, got ${JSON.stringify(v)}\n`);
  return null;
}

// The fields each kind needs (a foreign write: one of three shapes): a request fault without `times` would never fire, silently.
type FieldType = 'number' | 'string' | 'array' | 'object';
const FAULT_FIELDS: Record<Fault['kind'], Record<string, FieldType>[]> = {
  status: [{ status: 'number', times: 'number' }],
  delay: [{ ms: 'number', times: 'number' }],
  reset: [{ times: 'number', when: 'string' }],
  hang: [{ times: 'number' }],
  malformed: [{ times: 'number' }],
  foreignWrite: [{ tokenId: 'string', roles: 'array' }, { userId: 'string', set: 'object' }, { teamId: 'string', set: 'object' }],
};

function hasType(v: unknown, type: FieldType): boolean {
  if (type === 'array') return Array.isArray(v);
  if (type === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof v === type;
}

/** A fault given as JSON on the command line (paths as strings); undefined after saying why not. */
function parseFault(out: EmulatorStreams, text: string): Fault | undefined {
  let f: unknown;
  try {
    f = JSON.parse(text);
  } catch {
    f = undefined;
  }
  const o = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
  const kind = o['kind'];
  const shapes = typeof kind === 'string' && Object.hasOwn(FAULT_FIELDS, kind) ? FAULT_FIELDS[kind as Fault['kind']] : undefined;
  const missing = (shapes ?? []).map((fields) =>
    Object.entries(fields).filter(([k, type]) => !hasType(o[k], type)).map(([k, type]) => `${k} (${type})`),
  );
  if (shapes === undefined || missing.every((m) => m.length > 0)) {
    const why = shapes === undefined
      ? `a kind (${Object.keys(FAULT_FIELDS).join(', ')})`
      : `${missing.map((m) => m.join(', ')).join(' or ')} for kind ${String(kind)}`;
    out.stderr.write(`astro-access emulator: --fault must be a JSON object with ${why}, got ${text}\n`);
    return undefined;
  }
  if (o['set'] !== undefined && o['tokenId'] === undefined) {
    // A user's or team's set is stored as given: check its shape as the roles POST would.
    try {
      parseSubjectRolesBody(o['set']);
    } catch (err) {
      out.stderr.write(`astro-access emulator: --fault set: ${(err as Error).message}, got ${text}\n`);
      return undefined;
    }
  }
  return f as Fault;
}

/** examples/emulator-state.json of this package, else of the current directory. */
function defaultStatePath(): string {
  const beside = fileURLToPath(new URL('../../examples/emulator-state.json', import.meta.url));
  return existsSync(beside) ? beside : 'examples/emulator-state.json';
}
