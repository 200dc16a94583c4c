import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { DEP_A1, TOK_WS, WS_A } from '../support/emulator-states.ts';

// No timing assertions: a burst far larger than the bucket must meet 429s however slow the machine is
// (20 requests against 3/s would need over 5 s to pass untouched).

afterEach(closeAll);

async function burst(emu: Emulator, n: number, method: 'GET' | 'POST', token = 'test-token') {
  const roles = [
    { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
    { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' },
  ];
  return Promise.all(
    Array.from({ length: n }, () =>
      method === 'GET' ? call(emu, 'GET', '/tokens', { token }) : call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles }, token }),
    ),
  );
}

describe('rate limits', () => {
  it('are off by default', async () => {
    const emu = await start();
    const answers = await burst(emu, 60, 'GET');
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('answer 429 with Retry-After (whole seconds) past the per-token GET limit', async () => {
    const emu = await start({ rateLimits: { get: 3, post: 1 } });
    const answers = await burst(emu, 20, 'GET');
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(3);
    for (const a of limited) {
      expect(a.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(a.json).toMatchObject({ statusCode: 429, message: expect.stringMatching(/rate limit/) });
    }
    expect(emu.log.filter((e) => e.status === 429)).toHaveLength(limited.length);
  });

  it('answer 429 without Retry-After when retryAfter is false', async () => {
    const emu = await start({ rateLimits: { get: 3, post: 1 }, retryAfter: false });
    const limited = (await burst(emu, 20, 'GET')).filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((a) => a.headers['retry-after'] === undefined)).toBe(true);
  });

  it('limit POSTs and GETs separately', async () => {
    const posts = await start({ rateLimits: { get: 1000, post: 2 } });
    expect((await burst(posts, 20, 'POST')).some((a) => a.status === 429)).toBe(true);
    expect((await call(posts, 'GET', '/tokens')).status).toBe(200);
    const gets = await start({ rateLimits: { get: 3, post: 1000 } });
    expect((await burst(gets, 20, 'GET')).some((a) => a.status === 429)).toBe(true);
    expect((await burst(gets, 1, 'POST'))[0]?.status).toBe(200);
  });

  it('count per bearer token: another token has its own budget', async () => {
    const emu = await start({ rateLimits: { get: 3, post: 1 } });
    expect((await burst(emu, 20, 'GET', 'token-one')).some((a) => a.status === 429)).toBe(true);
    expect((await call(emu, 'GET', '/tokens', { token: 'token-two' })).status).toBe(200);
  });
});
