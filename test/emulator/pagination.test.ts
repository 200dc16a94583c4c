import { afterEach, describe, expect, it } from 'vitest';
import type { ApiTokensPaginated, DeploymentsPaginated } from '../../src/astro/types.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { manyTokens } from '../support/emulator-states.ts';

afterEach(closeAll);

const N = 2345;
const TOTAL = N + 3; // manyTokens adds N to the three tokens of the small state

async function readAll(emu: Emulator, limit: number | undefined): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for (let offset = 0; ; ) {
    const q = limit === undefined ? `offset=${offset}` : `offset=${offset}&limit=${limit}`;
    const page = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?${q}`);
    expect(page.status).toBe(200);
    expect(page.json.totalCount).toBe(TOTAL);
    pages += 1;
    ids.push(...page.json.tokens.map((t) => t.id));
    offset += page.json.tokens.length;
    if (page.json.tokens.length === 0 || offset >= page.json.totalCount) break;
  }
  return { ids, pages };
}

describe('pagination', () => {
  it('answers 20 by default, with totalCount counting every match', async () => {
    const emu = await start({ state: manyTokens(N) });
    const page = await call<ApiTokensPaginated>(emu, 'GET', '/tokens');
    expect(page.json).toMatchObject({ totalCount: TOTAL, offset: 0, limit: 20 });
    expect(page.json.tokens).toHaveLength(20);
  });

  it('reads every token exactly once across pages of 1000', async () => {
    const emu = await start({ state: manyTokens(N) });
    const { ids, pages } = await readAll(emu, 1000);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
  });

  it('refuses a limit above 1000 with 400, as the API does, and answers 1000 in full', async () => {
    const emu = await start({ state: manyTokens(N) });
    const over = await call(emu, 'GET', '/tokens?limit=1001');
    expect(over.status).toBe(400);
    expect(over.json.fieldErrors?.[0]?.field).toBe('limit');
    const page = await call<ApiTokensPaginated>(emu, 'GET', '/tokens?limit=1000');
    expect(page.json.limit).toBe(1000);
    expect(page.json.tokens).toHaveLength(1000);
  });

  it('a server with a lower cap (maxLimit 100) still yields every token', async () => {
    const emu = await start({ state: manyTokens(N), maxLimit: 100 });
    const first = await call<ApiTokensPaginated>(emu, 'GET', '/tokens?limit=1000');
    expect(first.json.limit).toBe(100);
    expect(first.json.tokens).toHaveLength(100);
    const { ids, pages } = await readAll(emu, 1000);
    expect(pages).toBe(Math.ceil(TOTAL / 100));
    expect(new Set(ids).size).toBe(TOTAL);
  });

  it('takes another default limit', async () => {
    const emu = await start({ state: manyTokens(50), defaultLimit: 7 });
    expect((await call<ApiTokensPaginated>(emu, 'GET', '/tokens')).json.tokens).toHaveLength(7);
  });

  it('answers an empty page past the end, and for limit=0, still with totalCount', async () => {
    const emu = await start({ state: manyTokens(10) });
    for (const q of ['offset=500', 'limit=0']) {
      const page = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?${q}`);
      expect(page.json.tokens).toEqual([]);
      expect(page.json.totalCount).toBe(13);
    }
  });

  it('refuses a negative or non-numeric offset or limit with 400', async () => {
    const emu = await start();
    for (const q of ['limit=-1', 'limit=ten', 'offset=-5', 'offset=1.5']) {
      const res = await call(emu, 'GET', `/tokens?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.fieldErrors?.[0]?.field).toBe(q.split('=')[0]);
    }
  });
});

describe('sorting', () => {
  it('orders by createdAt, then id, by default', async () => {
    const s = manyTokens(5);
    s.tokens = s.tokens.slice(3);
    s.tokens[4] = { ...s.tokens[4], id: s.tokens[4]?.id ?? '', name: 'oldest', scope: 'WORKSPACE', createdAt: '2025-06-01T00:00:00Z' };
    const emu = await start({ state: s });
    const ids = (await call<ApiTokensPaginated>(emu, 'GET', '/tokens')).json.tokens.map((t) => t.id);
    const rest = s.tokens.slice(0, 4).map((t) => t.id).sort();
    expect(ids).toEqual([s.tokens[4]?.id, ...rest]);
  });

  it('follows sorts, repeated, with id as the last tie-breaker', async () => {
    const emu = await start({ state: manyTokens(300) });
    const page = await call<ApiTokensPaginated>(emu, 'GET', '/tokens?sorts=name:desc&sorts=createdAt:asc&limit=1000');
    const got = page.json.tokens.map((t) => [t.name, t.id]);
    const want = [...got].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? 1 : (a[0] ?? '') > (b[0] ?? '') ? -1 : (a[1] ?? '') < (b[1] ?? '') ? -1 : 1));
    expect(got).toEqual(want);
    expect(got[0]?.[0]).toBe('ws-token');
  });

  it('refuses a malformed sort, an unknown direction or a key the list does not document with 400', async () => {
    const emu = await start();
    for (const path of ['/tokens?sorts=name:sideways', '/tokens?sorts=name', '/tokens?sorts=id:asc', '/tokens?sorts=shortToken:desc', '/deployments?sorts=status:asc', '/workspaces?sorts=description:asc']) {
      const res = await call(emu, 'GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json.fieldErrors?.[0]?.field, path).toBe('sorts');
    }
    for (const path of ['/tokens?sorts=tokenStartAt:desc', '/tokens?sorts=description:asc', '/deployments?sorts=updatedAt:desc', '/workspaces?sorts=name:asc']) {
      expect((await call(emu, 'GET', path)).status, path).toBe(200);
    }
  });

  it('paginates deployments the same way', async () => {
    const emu = await start();
    const page = await call<DeploymentsPaginated>(emu, 'GET', '/deployments?limit=2&offset=1&sorts=name:asc');
    expect(page.json).toMatchObject({ totalCount: 3, offset: 1, limit: 2 });
    expect(page.json.deployments.map((d) => d.name)).toEqual(['a2', 'b1']);
  });
});
