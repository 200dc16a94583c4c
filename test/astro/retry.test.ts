import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter } from '../../src/astro/retry.ts';

describe('backoffDelay', () => {
  const opts = { baseMs: 100, maxMs: 1000 };

  it('grows exponentially up to the cap (upper end of the jitter)', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('is fully jittered: a random draw of 0 waits nothing, 0.5 waits half the ceiling', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now, 60_000)).toBe(2000);
    expect(parseRetryAfter('0', now, 60_000)).toBe(0);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Fri, 01 May 2026 12:00:05 GMT', now, 60_000)).toBe(5000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now, 60_000)).toBe(0);
  });

  it('caps long waits', () => {
    expect(parseRetryAfter('3600', now, 60_000)).toBe(60_000);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('soon', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('-3', now, 60_000)).toBeUndefined();
  });
});

describe('what is retried', () => {
  it('retries 429 and 5xx, not other statuses', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });

  it('retries resets and timeouts, not programming errors', () => {
    expect(isRetryableError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(true);
    expect(isRetryableError(new TypeError('bad argument'))).toBe(false);
  });
});
