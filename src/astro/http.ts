import { Pool } from 'undici';
import type { AstroApiError } from '../errors.ts';
import { astroApiError, parseErrorAnswer } from './api-error.ts';
import { checkAnswer } from './answers.ts';
import type { Method } from './answers.ts';
import type { ErrorAnswer } from './api-error.ts';
import type { RetryNotice } from './config.ts';
import { errorHint } from './error-hints.ts';
import { MethodPacers, realClock } from './pacer.ts';
import type { Clock } from './pacer.ts';
import { redact } from './redact.ts';
import { backoffDelay, errorCode, isRetryableError, isRetryableStatus, parseRetryAfter } from './retry.ts';

export type { Method } from './answers.ts';
export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface TransportOptions {
  baseUrl: string;
  token: string;
  userAgent: string;
  rateLimits: { get: number; post: number } | false;
  maxAttempts: number;
  backoff: { baseMs: number; maxMs: number; retryAfterMaxMs: number };
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  debug: ((line: string) => void) | undefined;
  /** Pacing and retry waits; tests inject a fake one so they need not sleep. Default: the real clock. */
  clock?: Clock;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: { GET: number; POST: number };
  /** Attempts after the first, over all requests. */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** The rates aimed at now, per second: lower than configured after 429s; null when pacing is off. */
  rates: { get: number; post: number } | null;
}

/** One attempt's outcome: a value, or a failure that may be worth retrying. */
type Attempt<T> =
  | { ok: true; data: T; requestId: string | undefined }
  | { ok: false; retry: boolean; retryAfterMs?: number; answer?: ErrorAnswer; failure?: string; requestId?: string; cause?: unknown };

/**
 * The HTTP layer: one keep-alive undici pool for the base URL, pacing, retries with backoff, timeouts,
 * and errors that name the method, path, status, request ID and attempt count but never the token.
 */
export class Transport {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly origin: string;
  private readonly pacers: MethodPacers;
  private readonly counters: Omit<ClientStats, 'rates'> = { requests: { GET: 0, POST: 0 }, retries: 0, rateLimited: 0 };
  private readonly clock: Clock;

  constructor(private readonly opts: TransportOptions) {
    const url = new URL(opts.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connect: { timeout: opts.timeouts.connectMs },
      headersTimeout: opts.timeouts.headersMs,
      bodyTimeout: opts.timeouts.bodyMs,
    });
    this.clock = opts.clock ?? realClock;
    this.pacers = new MethodPacers(opts.rateLimits, this.clock);
  }

  stats(): ClientStats {
    return { ...this.counters, requests: { ...this.counters.requests }, rates: this.pacers.rates() };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * Sends the request, retrying transient failures; resolves with the parsed JSON body. `beforeRetry`
   * runs after the backoff, right before each attempt after the first: it returns the body to send
   * next, or throws to stop retrying (the executor re-reads a token there, so a retried write never
   * sends a list older than that read).
   */
  async request<T>(
    method: Method,
    path: string,
    options: { query?: Query; body?: unknown; beforeRetry?: () => Promise<unknown> } = {},
  ): Promise<{ data: T; requestId: string | undefined }> {
    const { maxAttempts, backoff } = this.opts;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && options.beforeRetry) options = { ...options, body: await options.beforeRetry() };
      const ticket = await this.pacers.take(method);
      const outcome = await this.attempt<T>(method, path, options, attempt);
      if (outcome.ok) return { data: outcome.data, requestId: outcome.requestId };
      if (outcome.answer?.status === 429) {
        // The budget is smaller than we assumed (shared with other jobs): slow down for the rest of the run.
        this.pacers.rateLimited(method, ticket);
        const rates = this.pacers.rates();
        if (rates) this.log(`astro-access: 429 on ${method}: pacing now at ${rates.get.toFixed(2)} GET/s, ${rates.post.toFixed(2)} POST/s`);
      }
      if (!outcome.retry || attempt >= maxAttempts) throw this.fail(method, path, attempt, outcome);
      const delay = outcome.retryAfterMs ?? backoffDelay(attempt, backoff);
      this.counters.retries++;
      this.log(`astro-access: retrying ${method} ${path} in ${delay} ms (attempt ${attempt + 1}/${maxAttempts}) after ${describe(outcome)}`);
      this.opts.onRetry?.({ method, path, delayMs: delay, attempt: attempt + 1, maxAttempts, reason: redact(describe(outcome), this.opts.token) });
      await this.clock.wait(delay);
    }
  }

  private async attempt<T>(method: Method, path: string, options: { query?: Query; body?: unknown }, n: number): Promise<Attempt<T>> {
    const target = this.basePath + path + queryString(options.query);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.opts.token}`,
      'user-agent': this.opts.userAgent,
      accept: 'application/json',
      // Pins the API's minor version, so a new default cannot change answers under a saved plan.
      'x-api-version': '1.0',
    };
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    this.counters.requests[method]++;
    this.log(`astro-access: -> ${method} ${this.origin}${target} (attempt ${n}/${this.opts.maxAttempts}) authorization: Bearer [REDACTED], user-agent: ${this.opts.userAgent}`);
    const started = performance.now();
    let status: number;
    let text: string;
    let requestId: string | undefined;
    let retryAfter: string | undefined;
    try {
      const res = await this.pool.request({ method, path: target, headers, ...(body !== undefined ? { body } : {}) });
      status = res.statusCode;
      // Masked on arrival, before anything parses, quotes or cuts it: a server (or a proxy) that echoes
      // the token in a body or a request ID cannot get a fragment of it into any message.
      const id = header(res.headers['x-request-id']);
      requestId = id === undefined ? undefined : redact(id, this.opts.token);
      retryAfter = header(res.headers['retry-after']);
      text = redact(await res.body.text(), this.opts.token);
    } catch (err) {
      const failure = transportFailure(err, this.opts.timeouts);
      this.log(`astro-access: <- ${method} ${path} failed after ${Math.round(performance.now() - started)} ms: ${failure}`);
      return { ok: false, retry: isRetryableError(err), failure, cause: err };
    }
    this.log(`astro-access: <- ${status} ${method} ${path} (${Math.round(performance.now() - started)} ms${requestId !== undefined ? `, request ID ${requestId}` : ''})`);
    if (status >= 200 && status < 300) {
      const id = requestId !== undefined && requestId !== '' ? { requestId } : {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        // A truncated or garbled success body is a transport fault: ask again.
        return { ok: false, retry: true, failure: `${status} answer with a body that is not valid JSON`, ...id, cause: err };
      }
      const checked = checkAnswer(method, path, parsed);
      if (!checked.ok) return { ok: false, retry: false, failure: `${status} answer that does not match the Astro API's documented shape: ${checked.problem}`, ...id };
      return { ok: true, data: checked.data as T, requestId };
    }
    if (status === 429) this.counters.rateLimited++;
    const answer = parseErrorAnswer(status, text, requestId);
    const retryable = isRetryableStatus(status);
    const retryAfterMs = retryable ? parseRetryAfter(retryAfter, Date.now(), this.opts.backoff.retryAfterMaxMs) : undefined;
    return { ok: false, retry: retryable, answer, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }

  private fail(method: Method, path: string, attempts: number, outcome: Attempt<unknown> & { ok: false }): AstroApiError {
    const hint = errorHint({ method, baseUrl: this.opts.baseUrl, status: outcome.answer?.status, code: errorCode(outcome.cause) });
    return astroApiError({
      method,
      path,
      attempts,
      token: this.opts.token,
      ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
      ...(outcome.failure !== undefined ? { failure: outcome.failure } : {}),
      ...(hint !== undefined ? { hint } : {}),
      ...(outcome.requestId !== undefined ? { requestId: outcome.requestId } : {}),
      ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
    });
  }

  private log(line: string): void {
    this.opts.debug?.(redact(line, this.opts.token));
  }
}

function describe(outcome: Attempt<unknown> & { ok: false }): string {
  return outcome.answer !== undefined ? `${outcome.answer.status}` : (outcome.failure ?? 'a failure');
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Arrays repeat their key (`workspaceIds=a&workspaceIds=b`), as the API expects. */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** A readable sentence for a failure without an answer. */
function transportFailure(err: unknown, t: TransportOptions['timeouts']): string {
  const code = errorCode(err);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect within ${t.connectMs} ms (connect timeout)`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no response within ${t.headersMs} ms (headers timeout)`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `response body stalled for ${t.bodyMs} ms (body timeout)`;
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection reset by the server (${code})`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return code !== undefined ? `${message} (${code})` : message;
    }
  }
}
