import { ConfigError } from '../errors.ts';
import type { Clock } from './pacer.ts';

export const DEFAULT_API_URL = 'https://api.astronomer.io/v1';

export interface RateLimits {
  /** Requests per second per method class. */
  get: number;
  post: number;
}

/** The documented limits (astro-api.md), shared by every job of an organization. */
export const DOCUMENTED_LIMITS: RateLimits = { get: 25, post: 10 };

/**
 * Reads `get=N,post=M` (either part may be left out: it keeps the documented limit) from `--rate-limit` or
 * ASTRO_ACCESS_RATE_LIMIT. N and M are requests per second, positive, decimals allowed (0.5 is one every
 * two seconds). `source` names where the text came from, for the error.
 */
export function parseRateLimit(text: string, source: string): RateLimits {
  const limits: RateLimits = { ...DOCUMENTED_LIMITS };
  const seen = new Set<string>();
  const usage = `${source} takes get=N,post=M (requests per second, e.g. get=10,post=3)`;
  const parts = text.split(',').map((p) => p.trim());
  if (text.trim() === '') throw new ConfigError(`${usage}, got an empty value`);
  for (const part of parts) {
    const m = /^(get|post)\s*=\s*(\S+)$/i.exec(part);
    if (m === null) throw new ConfigError(`${usage}, got ${JSON.stringify(part)}`);
    const key = (m[1] ?? '').toLowerCase() as keyof RateLimits;
    const value = m[2] ?? '';
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError(`${source}: ${key} must be a positive number of requests per second, got ${JSON.stringify(value)}`);
    if (seen.has(key)) throw new ConfigError(`${source}: ${key} is given twice`);
    seen.add(key);
    limits[key] = n;
  }
  return limits;
}

export interface AstroClientConfig {
  /** e.g. https://api.astronomer.io/v1 (no trailing slash; validated by validateBaseUrl). */
  baseUrl: string;
  /** The bearer token. Never printed. */
  token: string;
  userAgent?: string;
  /**
   * Pacing under the organization's budget; false turns pacing off. Default DOCUMENTED_LIMITS, or
   * ASTRO_ACCESS_RATE_LIMIT / --rate-limit. The client slows down further on its own after a 429.
   */
  rateLimits?: RateLimits | false;
  /** Pacing and retry waits (tests inject a fake clock). */
  clock?: Clock;
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

/** Reads ASTRO_API_TOKEN (required), ASTRO_API_URL and ASTRO_ACCESS_RATE_LIMIT; overrides win over the environment. */
export function astroConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<AstroClientConfig> = {},
): AstroClientConfig {
  const token = (overrides.token ?? env['ASTRO_API_TOKEN'] ?? '').trim();
  if (token === '') {
    throw new ConfigError(
      'ASTRO_API_TOKEN is not set: export an Astro API token (organization or workspace scope) in ASTRO_API_TOKEN',
    );
  }
  // A token copied from an Authorization header, or with its quotes: the API would answer 401.
  if (/^bearer\s/i.test(token)) {
    throw new ConfigError('ASTRO_API_TOKEN starts with "Bearer ": set it to the token alone (astro-access adds "Bearer " itself)');
  }
  if (/^["']|["']$/.test(token)) {
    throw new ConfigError('ASTRO_API_TOKEN is wrapped in quotes: set it to the token alone, without quotes');
  }
  const rawUrl = overrides.baseUrl ?? (env['ASTRO_API_URL']?.trim() || DEFAULT_API_URL);
  const rateEnv = env['ASTRO_ACCESS_RATE_LIMIT'];
  const rateLimits = overrides.rateLimits ?? (rateEnv !== undefined && rateEnv.trim() !== '' ? parseRateLimit(rateEnv, 'ASTRO_ACCESS_RATE_LIMIT') : undefined);
  return { ...overrides, token, baseUrl: validateBaseUrl(rawUrl), ...(rateLimits !== undefined ? { rateLimits } : {}) };
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
    throw new ConfigError('ASTRO_API_URL is not a valid URL (its value is not shown); expected e.g. https://api.astronomer.io/v1');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('ASTRO_API_URL must not contain credentials');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`ASTRO_API_URL must not have a query or fragment: ${url.origin}${url.pathname}`);
  }
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new ConfigError(
        `ASTRO_API_URL ${url.origin} uses plain http to a host that is not loopback; use https (plain http is allowed only for 127.0.0.0/8, ::1 and localhost)`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new ConfigError(`ASTRO_API_URL must be an https URL, got ${url.protocol}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // WHATWG URL parsing already normalized IPv4 forms (e.g. 0x7f.1 → 127.0.0.1).
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
