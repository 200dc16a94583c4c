import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import type { StateToken } from '../../src/emulator/index.ts';
import { EXAMPLE_MANIFEST, sentinelToken } from '../support/cli.ts';
import { runMain } from './harness.ts';
import { scenario } from './scenario.ts';

// Pages that shift while being read: the token list is read two at a time, slowly, and the organization
// changes between pages. No token may be read twice, and none that exists at the end may be missed.

const PAGE = 2;
const early = (id: string, name: string): StateToken => ({
  id,
  name,
  scope: 'WORKSPACE',
  // Sorts first in the default order (createdAt, then id): every later item shifts by one.
  createdAt: '2020-01-01T00:00:00Z',
  roles: [{ entityType: 'WORKSPACE', entityId: 'clvdwt4z3000008l60ofb6347', role: 'WORKSPACE_MEMBER' }],
});

/** Runs `change` once the second page of the token list has arrived, before the emulator answers it. */
function onSecondPage(emulator: Emulator, change: () => void): Promise<void> {
  emulator.fault({ kind: 'delay', ms: 50, times: 1000, method: 'GET', path: '/tokens' });
  return new Promise((resolve) => {
    const poll = (): void => {
      if (emulator.log.filter((e) => e.method === 'GET' && e.path.endsWith('/tokens')).length >= 2) {
        change();
        resolve();
      } else setTimeout(poll, 1);
    };
    poll();
  });
}

describe('pages that shift while being read', () => {
  it('a token added at the front during pagination: no token read twice, none of the others missed', async () => {
    const s = await scenario({}, { pageSize: PAGE });
    try {
      const existing = s.emulator.state().tokens.map((t) => t.id).sort();
      const added = 'c000000000000000000000new';
      const changed = onSecondPage(s.emulator, () => s.emulator.mutate((st) => st.tokens.push(early(added, 'added-mid-read') as never)));
      const tokens = await s.client.listTokens();
      await changed;
      const ids = tokens.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(existing.filter((id) => !ids.includes(id))).toEqual([]);
      expect(ids).toContain(added);
    } finally {
      await s.close();
    }
  });

  it('a token deleted at the front during pagination: every remaining token is still read', async () => {
    const s = await scenario({}, { pageSize: PAGE });
    try {
      const first = s.emulator.state().tokens.map((t) => t).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0]!;
      const changed = onSecondPage(s.emulator, () => s.emulator.mutate((st) => {
        st.tokens = st.tokens.filter((t) => t.id !== first.id);
      }));
      const tokens = await s.client.listTokens();
      await changed;
      const ids = tokens.map((t) => t.id);
      const remaining = s.emulator.state().tokens.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(remaining.filter((id) => !ids.includes(id))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('lists that lie: a plan is never made from a partial read', () => {
  const tokensPath = '/organizations/clx42kkcm01fo01o06agtmshg/tokens';

  it('a totalCount above what is served (pages end early) fails, naming the endpoint and the counts', async () => {
    const s = await scenario({ listQuirks: { overstateTotal: 3 } }, { pageSize: PAGE });
    try {
      const served = s.emulator.state().tokens.length;
      await expect(s.client.listTokens()).rejects.toThrow(`GET ${tokensPath}: read ${served} distinct items, but totalCount is ${served + 3}`);
    } finally {
      await s.close();
    }
  });

  it('a server that serves smaller pages than its answer says is still read to the end', async () => {
    // Pages of 2 (maxLimit) while every answer claims 1000: the page bound must follow what was served.
    const s = await scenario({ maxLimit: PAGE, listQuirks: { claimLimit: 1000 } }, { pageSize: 1000 });
    try {
      const ids = s.emulator.state().tokens.map((t) => t.id).sort();
      expect(ids.length).toBeGreaterThan(3 * PAGE);
      const tokens = await s.client.listTokens();
      expect(tokens.map((t) => t.id).sort()).toEqual(ids);
      expect(s.emulator.log).toHaveLength(Math.ceil(ids.length / PAGE));
    } finally {
      await s.close();
    }
  });

  it('a server that ignores offset (the same page again and again) fails instead of dropping the repeats', async () => {
    const s = await scenario({ listQuirks: { ignoreOffset: true } }, { pageSize: PAGE });
    try {
      const total = s.emulator.state().tokens.length;
      await expect(s.client.listTokens()).rejects.toThrow(`GET ${tokensPath}: read ${PAGE} distinct items, but totalCount is ${total}`);
      // Each attempt stops at the first page that brings nothing new: 2 pages, 4 attempts.
      expect(s.emulator.log).toHaveLength(8);
    } finally {
      await s.close();
    }
  });

  it('a list whose totalCount grows on every page fails after a bounded number of requests', async () => {
    const s = await scenario({ listQuirks: { growingTotal: true } }, { pageSize: PAGE });
    try {
      await expect(s.client.listTokens()).rejects.toThrow(/kept changing while it was read/);
      expect(s.emulator.log.length).toBeLessThanOrEqual(8);
    } finally {
      await s.close();
    }
  });

  it('a totalCount too large to be true fails at the first page, before reading on', async () => {
    const s = await scenario({ listQuirks: { overstateTotal: 5_000_000 } }, { pageSize: PAGE });
    try {
      await expect(s.client.listTokens()).rejects.toThrow(/totalCount \d+ is over the limit of 200000/);
      expect(s.emulator.log).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('plan through the CLI exits 1 on a short list and writes nothing', async () => {
    const s = await scenario({ listQuirks: { overstateTotal: 1 } });
    try {
      const r = await runMain(['plan', '-f', EXAMPLE_MANIFEST], { ASTRO_API_URL: s.emulator.url, ASTRO_API_TOKEN: sentinelToken() });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/tokens: read \d+ distinct items, but totalCount is \d+/);
      expect(r.stdout).not.toContain('Plan:');
    } finally {
      await s.close();
    }
  });
});
