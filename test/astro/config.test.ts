import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, astroConfigFromEnv, parseRateLimit, validateBaseUrl } from '../../src/astro/config.ts';
import { UsageError } from '../../src/errors.ts';

describe('astroConfigFromEnv', () => {
  it('requires ASTRO_API_TOKEN and names the variable', () => {
    expect(() => astroConfigFromEnv({})).toThrow(UsageError);
    expect(() => astroConfigFromEnv({ ASTRO_API_TOKEN: '  ' })).toThrow(/ASTRO_API_TOKEN/);
  });

  it('defaults the URL to the public API and reads the token', () => {
    const config = astroConfigFromEnv({ ASTRO_API_TOKEN: 'secret-token-value' });
    expect(config).toEqual({ baseUrl: DEFAULT_API_URL, token: 'secret-token-value' });
  });

  it('reads ASTRO_API_URL, tolerating a trailing slash, and lets overrides win', () => {
    const env = { ASTRO_API_TOKEN: 'tok', ASTRO_API_URL: 'https://astro.example.com/v1/' };
    expect(astroConfigFromEnv(env).baseUrl).toBe('https://astro.example.com/v1');
    expect(astroConfigFromEnv(env, { pageSize: 10, baseUrl: 'http://127.0.0.1:9/v1' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/v1',
      pageSize: 10,
    });
  });

  it('does not echo the token when the URL is refused', () => {
    const env = { ASTRO_API_TOKEN: 'do-not-print-me', ASTRO_API_URL: 'http://astro.example.com/v1' };
    expect(() => astroConfigFromEnv(env)).toThrow(UsageError);
    try {
      astroConfigFromEnv(env);
    } catch (err) {
      expect(String(err)).not.toContain('do-not-print-me');
    }
  });
});

describe('validateBaseUrl', () => {
  it('accepts https anywhere', () => {
    expect(validateBaseUrl('https://api.astronomer.io/v1')).toBe('https://api.astronomer.io/v1');
  });

  it.each(['http://127.0.0.1:8080/v1', 'http://127.1.2.3/v1', 'http://localhost:3000/v1', 'http://[::1]:3000/v1'])(
    'accepts plain http to loopback %s',
    (url) => {
      expect(validateBaseUrl(url)).toBe(url);
    },
  );

  it.each(['http://api.astronomer.io/v1', 'http://10.0.0.1/v1', 'http://127.0.0.1.example.com/v1', 'http://[::2]/v1'])(
    'refuses plain http to %s',
    (url) => {
      expect(() => validateBaseUrl(url)).toThrow(/plain http/);
    },
  );

  it('refuses other schemes, credentials and garbage', () => {
    expect(() => validateBaseUrl('ftp://api.astronomer.io/v1')).toThrow(/https/);
    expect(() => validateBaseUrl('https://user:pw@api.astronomer.io/v1')).toThrow(/credentials/);
    expect(() => validateBaseUrl('not a url')).toThrow(/not a valid URL/);
  });
});

describe('parseRateLimit (--rate-limit, ASTRO_ACCESS_RATE_LIMIT)', () => {
  it('reads get and post, either alone (the other keeps the documented limit), in any order and case', () => {
    expect(parseRateLimit('get=10,post=3', 'x')).toEqual({ get: 10, post: 3 });
    expect(parseRateLimit(' POST = 2.5 ', 'x')).toEqual({ get: 25, post: 2.5 });
    expect(parseRateLimit('post=1,get=4', 'x')).toEqual({ get: 4, post: 1 });
  });

  it('refuses anything else with an error naming where it came from', () => {
    for (const [text, message] of [
      ['', /x takes get=N,post=M .*got an empty value/],
      ['get', /x takes get=N,post=M .*got "get"/],
      ['delete=3', /got "delete=3"/],
      ['get=0', /x: get must be a positive number/],
      ['get=1e3', /x: get must be a positive number .*got "1e3"/],
      ['post=3,post=3', /x: post is given twice/],
      ['get=5;post=1', /x: get must be a positive number .*got "5;post=1"/],
    ] as const) {
      expect(() => parseRateLimit(text, 'x'), text).toThrow(UsageError);
      expect(() => parseRateLimit(text, 'x'), text).toThrow(message);
    }
  });

  it('comes from ASTRO_ACCESS_RATE_LIMIT unless an override gives it', () => {
    const env = { ASTRO_API_TOKEN: 't', ASTRO_ACCESS_RATE_LIMIT: 'post=2' };
    expect(astroConfigFromEnv(env).rateLimits).toEqual({ get: 25, post: 2 });
    expect(astroConfigFromEnv(env, { rateLimits: { get: 1, post: 1 } }).rateLimits).toEqual({ get: 1, post: 1 });
    expect(astroConfigFromEnv({ ASTRO_API_TOKEN: 't' }).rateLimits).toBeUndefined();
  });
});
