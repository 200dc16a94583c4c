import { astroConfigFromEnv, parseRateLimit, type AstroClientConfig, type RetryNotice } from '../astro/config.ts';
import { createAstroClient, readOnly } from '../astro/client.ts';
import type { AstroReader, AstroWriter } from '../astro/api.ts';
import type { Actual } from '../astro/actual.ts';
import { readActual, type ReadActualOptions } from '../astro/read-actual.ts';
import { loadManifestFiles } from '../manifest/load.ts';
import type { Desired } from '../manifest/types.ts';
import { ManifestError, formatDiagnostic } from '../errors.ts';
import { planChecksum } from '../plan/checksum.ts';
import { makePlan } from '../plan/planner.ts';
import type { Plan } from '../plan/types.ts';
import { plural } from '../util/plural.ts';

// The steps the CLI and the Action share: load the manifest, connect to the Astro API, read the live
// state and plan. Each takes a Session: everything it may use is given, nothing is read from the process.

export interface Session {
  /** Where the client settings come from: ASTRO_API_TOKEN, ASTRO_API_URL, ASTRO_ACCESS_RATE_LIMIT. */
  env: NodeJS.ProcessEnv;
  /** Client settings over those (the Action's token and URL inputs, a test's faster pacing). */
  client?: Partial<AstroClientConfig>;
  /** One line for the person or the log: warnings, retries, what was read, notes. */
  note(line: string): void;
  /** Relative manifest paths are read under this folder (default: the process's cwd). */
  dir?: string;
}

export const DEFAULT_MANIFEST = 'astro-access.yaml';

/** Load and validate the manifest files; every problem at once, before any API call. */
export async function loadDesired(session: Session, files: string[]): Promise<Desired> {
  const result = await loadManifestFiles(files.length > 0 ? files : [DEFAULT_MANIFEST], session.dir);
  for (const w of result.warnings) session.note(`warning: ${formatDiagnostic(w)}`);
  if (result.errors.length > 0 || !result.desired) throw new ManifestError(result.errors, result.errorCount);
  return result.desired;
}

export interface Connection {
  writer: AstroWriter;
  reader: AstroReader;
  token: string;
  close(): Promise<void>;
}

/**
 * Connect to the Astro API from the session's env and client settings (`rateLimit`, from --rate-limit,
 * wins). Callers that only read get `reader`. Closing says so when the server rate-limited the run,
 * with the rate the client slowed down to.
 */
export function connect(session: Session, organizationId: string, opts: { debug?: boolean; rateLimit?: string | undefined } = {}): Connection {
  // A budget the user gives (--rate-limit, then ASTRO_ACCESS_RATE_LIMIT) wins over the session's defaults.
  const flag = opts.rateLimit !== undefined ? parseRateLimit(opts.rateLimit, '--rate-limit') : undefined;
  const { rateLimits: defaultRates, ...clientSettings } = session.client ?? {};
  const fromEnv = (session.env['ASTRO_ACCESS_RATE_LIMIT'] ?? '').trim() !== '';
  const rateLimits = flag ?? (fromEnv ? undefined : defaultRates);
  const config = astroConfigFromEnv(session.env, { ...clientSettings, ...(rateLimits !== undefined ? { rateLimits } : {}) });
  const client = createAstroClient({
    ...config,
    organizationId,
    onRetry: (n: RetryNotice) => session.note(retryLine(n)),
    ...(opts.debug ? { debug: (line: string) => session.note(`debug: ${line}`) } : {}),
  });
  const close = async (): Promise<void> => {
    const { rateLimited, rates } = client.stats();
    if (rateLimited > 0 && rates !== null) {
      session.note(`note: the API rate-limited this run ${rateLimited} time(s); pacing was lowered to ${rates.get.toFixed(1)} GET/s and ${rates.post.toFixed(1)} POST/s (see --rate-limit)`);
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

/**
 * What to read for a manifest: the workspaces it names (where tokens are listed when the org-wide
 * token list is refused), and users or teams only when some deployment manages them, so a manifest
 * of tokens makes no request it does not need.
 */
function readOptions(desired: Desired): ReadActualOptions {
  const refs = desired.deployments.map((d) => d.workspace);
  return {
    workspaceIds: [...new Set(refs.flatMap((w) => (w.id ? [w.id] : [])))],
    workspaceNames: [...new Set(refs.flatMap((w) => (w.name ? [w.name] : [])))],
    users: desired.deployments.some((d) => d.users !== undefined),
    teams: desired.deployments.some((d) => d.teams !== undefined),
  };
}

/** Read the live state with the read-only client and plan against it. */
export async function planLive(session: Session, desired: Desired, reader: AstroReader): Promise<{ plan: Plan; actual: Actual }> {
  const { actual, warnings } = await readActual(reader, readOptions(desired));
  const subjects = [
    ...(actual.users ? [plural(actual.users.length, 'user')] : []),
    ...(actual.teams ? [plural(actual.teams.length, 'team')] : []),
  ];
  session.note(
    `Read ${actual.workspaces.length} workspaces, ${actual.deployments.length} deployments, ` +
      `${actual.tokens.length} tokens, ${subjects.map((s) => `${s}, `).join('')}${actual.roles.length} custom roles.`,
  );
  const { plan, errors } = makePlan(desired, actual, { now: Date.now() });
  if (errors.length > 0 || !plan) throw new ManifestError(errors);
  plan.warnings.push(...warnings);
  plan.checksum = planChecksum(plan); // the warnings are part of the document the checksum covers
  return { plan, actual };
}
