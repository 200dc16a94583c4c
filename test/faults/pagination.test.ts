import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import type { StateToken } from '../../src/emulator/index.ts';
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
