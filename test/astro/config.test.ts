import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, astroConfigFromEnv, validateBaseUrl } from '../../src/astro/config.ts';
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
