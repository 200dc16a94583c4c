import { astroConfigFromEnv, parseRateLimit, type AstroClientConfig, type RetryNotice } from '../astro/config.ts';
import { createAstroClient, readOnly } from '../astro/client.ts';
import type { AstroReader, AstroWriter } from '../astro/api.ts';
import { readActual, type ReadActualOptions } from '../astro/read-actual.ts';
import { loadManifestFiles } from '../manifest/load.ts';
import type { Desired } from '../manifest/types.ts';
import { ManifestError, UsageError, formatDiagnostic } from '../errors.ts';
import { FileTooLargeError, readCapped } from '../util/read-capped.ts';
import { say } from './say.ts';
import type { Actual } from '../astro/actual.ts';
import { planChecksum } from '../plan/checksum.ts';
import { makePlan } from '../plan/planner.ts';
import type { Plan } from '../plan/types.ts';

/** What a command may touch: streams and environment, injected so the CLI is one testable function. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Client settings over the defaults (a test's faster pacing); nothing on the command line sets it. */
  client?: Partial<AstroClientConfig>;
}

export const DEFAULT_MANIFEST = 'astro-access.yaml';

export { say };


/** Load and validate the manifest files; every problem at once, before any API call. */
export async function loadDesired(io: Io, files: string[]): Promise<Desired> {
  const result = await loadManifestFiles(files.length > 0 ? files : [DEFAULT_MANIFEST]);
  for (const w of result.warnings) say(io, `warning: ${formatDiagnostic(w)}`);
  if (result.errors.length > 0 || !result.desired) throw new ManifestError(result.errors, result.errorCount);
  return result.desired;
}

export interface Connection {
  writer: AstroWriter;
  reader: AstroReader;
  token: string;
  close(): Promise<void>;
}

/** The `--rate-limit` option every command that talks to the API takes. */
export const RATE_LIMIT_OPTION = { 'rate-limit': { type: 'string' } } as const;
export const RATE_LIMIT_HELP = `      --rate-limit get=N,post=M
                         requests per second to stay under (default get=25,post=10, the documented
                         limits; also ASTRO_ACCESS_RATE_LIMIT). The budget is the organization's: give
                         less when other jobs share it. After a 429 the rate is lowered further.`;

/**
 * Connect to the Astro API from ASTRO_API_TOKEN / ASTRO_API_URL / ASTRO_ACCESS_RATE_LIMIT (`rateLimit`,
 * from --rate-limit, wins). Callers that only read get `reader`. Closing says so when the server
 * rate-limited the run, with the rate the client slowed down to.
 */
export function connect(io: Io, organizationId: string, opts: { debug?: boolean; rateLimit?: string | undefined } = {}): Connection {
  // A budget the user gives (--rate-limit, then ASTRO_ACCESS_RATE_LIMIT) wins over io.client's defaults.
  const flag = opts.rateLimit !== undefined ? parseRateLimit(opts.rateLimit, '--rate-limit') : undefined;
  const { rateLimits: defaultRates, ...clientSettings } = io.client ?? {};
  const fromEnv = (io.env['ASTRO_ACCESS_RATE_LIMIT'] ?? '').trim() !== '';
  const rateLimits = flag ?? (fromEnv ? undefined : defaultRates);
  const config = astroConfigFromEnv(io.env, { ...clientSettings, ...(rateLimits !== undefined ? { rateLimits } : {}) });
  const client = createAstroClient({
    ...config,
    organizationId,
    onRetry: (n: RetryNotice) => say(io, retryLine(n)),
    ...(opts.debug ? { debug: (line: string) => say(io, `debug: ${line}`) } : {}),
  });
  const close = async (): Promise<void> => {
    const { rateLimited, rates } = client.stats();
    if (rateLimited > 0 && rates !== null) {
      say(io, `note: the API rate-limited this run ${rateLimited} time(s); pacing was lowered to ${rates.get.toFixed(1)} GET/s and ${rates.post.toFixed(1)} POST/s (see --rate-limit)`);
    }
    await client.close();
  };
  return { writer: client, reader: readOnly(client), token: config.token, close };
}

/** `retrying in 2 s: 429 (GET /organizations/…/tokens, attempt 2 of 6)` */
export function retryLine(n: RetryNotice): string {
  const wait = n.delayMs >= 1000 ? `${Math.round(n.delayMs / 1000)} s` : `${(n.delayMs / 1000).toFixed(1)} s`;
  return `retrying in ${wait}: ${n.reason} (${n.method} ${n.path}, attempt ${n.attempt} of ${n.maxAttempts})`;
}

/** The workspaces a manifest names: where tokens are listed when the org-wide token list is refused. */
function manifestWorkspaces(desired: Desired): ReadActualOptions {
  const refs = desired.deployments.map((d) => d.workspace);
  return {
    workspaceIds: [...new Set(refs.flatMap((w) => (w.id ? [w.id] : [])))],
    workspaceNames: [...new Set(refs.flatMap((w) => (w.name ? [w.name] : [])))],
  };
}

/** Read the live state with the read-only client and plan against it. */
export async function planLive(io: Io, desired: Desired, reader: AstroReader): Promise<{ plan: Plan; actual: Actual }> {
  const { actual, warnings } = await readActual(reader, manifestWorkspaces(desired));
  say(
    io,
    `Read ${actual.workspaces.length} workspaces, ${actual.deployments.length} deployments, ` +
      `${actual.tokens.length} tokens, ${actual.roles.length} custom roles.`,
  );
  const { plan, errors } = makePlan(desired, actual, { now: Date.now() });
  if (errors.length > 0 || !plan) throw new ManifestError(errors);
  plan.warnings.push(...warnings);
  plan.checksum = planChecksum(plan); // the warnings are part of the document the checksum covers
  return { plan, actual };
}

/** A saved plan of ten thousand tokens is a few MB; a file far larger is not a plan. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/** Reads a JSON file under a byte cap that holds for devices and FIFOs too (`apply /dev/zero`). */
export async function readJsonFile(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(path, MAX_PLAN_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new UsageError(`${path}: file is too large (more than ${MAX_PLAN_BYTES} bytes, the limit)`);
    throw err;
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new UsageError(`${path} is not a JSON file (not valid UTF-8 JSON text)`);
  }
}
