import { UsageError } from '../errors.ts';

export const DEFAULT_API_URL = 'https://api.astronomer.io/v1';

export interface RateLimits {
  /** Requests per second per method class. */
  get: number;
  post: number;
}

export interface AstroClientConfig {
  /** e.g. https://api.astronomer.io/v1 (no trailing slash; validated by validateBaseUrl). */
  baseUrl: string;
  /** The bearer token. Never printed. */
  token: string;
  userAgent?: string;
  /** Pacing under the per-token limits; false turns pacing off. Default {get: 25, post: 10}. */
  rateLimits?: RateLimits | false;
  /** Total attempts per request, first one included. Default 6. */
  maxAttempts?: number;
  /** Exponential backoff with full jitter; Retry-After is honoured up to retryAfterMaxMs (default 60 s). */
  backoff?: { baseMs: number; maxMs: number; retryAfterMaxMs?: number };
  timeouts?: { connectMs: number; headersMs: number; bodyMs: number };
  /** Receives one line per request and response, Authorization redacted. */
  debug?: (line: string) => void;
  /** Told of each retry before its wait, so a person at the terminal sees why a run pauses. */
  onRetry?: (notice: RetryNotice) => void;
  /** Page size asked for on lists. Default 1000 (the API's maximum). */
  pageSize?: number;
}

export interface RetryNotice {
  method: string;
  /** The API path, without the base URL or query. */
  path: string;
  delayMs: number;
  /** The attempt about to be made, counting from 1. */
  attempt: number;
  maxAttempts: number;
  /** e.g. "429" or "connection reset by the server (ECONNRESET)". */
  reason: string;
}

/** Reads ASTRO_API_TOKEN (required) and ASTRO_API_URL; overrides win over the environment. */
export function astroConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<AstroClientConfig> = {},
): AstroClientConfig {
  const token = (overrides.token ?? env['ASTRO_API_TOKEN'] ?? '').trim();
  if (token === '') {
    throw new UsageError(
      'ASTRO_API_TOKEN is not set: export an Astro API token (organization or workspace scope) in ASTRO_API_TOKEN',
    );
  }
  // A token copied from an Authorization header, or with its quotes: the API would answer 401.
  if (/^bearer\s/i.test(token)) {
    throw new UsageError('ASTRO_API_TOKEN starts with "Bearer ": set it to the token alone (astro-access adds "Bearer " itself)');
  }
  if (/^["']|["']$/.test(token)) {
    throw new UsageError('ASTRO_API_TOKEN is wrapped in quotes: set it to the token alone, without quotes');
  }
  const rawUrl = overrides.baseUrl ?? (env['ASTRO_API_URL']?.trim() || DEFAULT_API_URL);
  return { ...overrides, token, baseUrl: validateBaseUrl(rawUrl) };
}

/**
 * Returns the base URL without trailing slashes. Only https is accepted, except plain http to a loopback
 * host (the emulator): a bearer token must never cross a network in clear text.
 */
export function validateBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a value pasted into the wrong variable may be a secret.
    throw new UsageError('ASTRO_API_URL is not a valid URL (its value is not shown); expected e.g. https://api.astronomer.io/v1');
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('ASTRO_API_URL must not contain credentials');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(`ASTRO_API_URL must not have a query or fragment: ${url.origin}${url.pathname}`);
  }
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new UsageError(
        `ASTRO_API_URL ${url.origin} uses plain http to a host that is not loopback; use https (plain http is allowed only for 127.0.0.0/8, ::1 and localhost)`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new UsageError(`ASTRO_API_URL must be an https URL, got ${url.protocol}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // WHATWG URL parsing already normalized IPv4 forms (e.g. 0x7f.1 → 127.0.0.1).
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
