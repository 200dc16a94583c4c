import { beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/emulator/index.ts';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { VirtualClock } from '../support/virtual-clock.ts';
import { entryKey, lostEntries, ownedBy, posts, snapshotRoles, type RoleSnapshot } from './harness.ts';
import { applyWith, convergedRoles, planWith, scenario, type Scenario } from './scenario.ts';

// One test per fault scenario, against the emulator over real HTTP. Each asserts the outcome, and that no
// role entry outside the plan was lost.

const CI_DEPLOYER = 'clz9k2w1q000108mh3tq4a7vd';
const LEGACY_BOT = 'c5xtcoiayo4vt3wrsftdorcif';
const SANDBOX = 'c6yyp01uwfa475kqahw0yamn3';

let converged: RoleSnapshot;
beforeAll(async () => {
  converged = await convergedRoles();
});

/** Plan, inject the faults, apply; expect full convergence, and a second plan with nothing to do. */
async function survives(faults: Fault[], check?: (s: Scenario) => void, clientOpts: Partial<AstroClientConfig> = {}): Promise<void> {
  const s = await scenario({}, clientOpts);
  try {
    const { plan } = await planWith(s.client);
    for (const f of faults) s.emulator.fault(f);
    const receipt = await applyWith(plan, s.client);
    expect(receipt.subjects.filter((t) => t.status !== 'applied')).toEqual([]);
    expect(receipt.status).toBe('applied');
    s.emulator.clearFaults();
    expect(lostEntries(s.before, snapshotRoles(s.emulator), ownedBy(plan))).toEqual([]);
    expect(snapshotRoles(s.emulator)).toEqual(converged);
    expect((await planWith(s.client)).plan.actions).toEqual([]);
    check?.(s);
  } finally {
    await s.close();
  }
}

/** Faults during the read: the plan still sees exactly the organization. */
async function readSurvives(faults: Fault[]): Promise<void> {
  const s = await scenario();
  try {
    const { plan: clean } = await planWith(s.client);
    for (const f of faults) s.emulator.fault(f);
    const { plan } = await planWith(s.client);
    expect(plan).toEqual(clean);
    expect(s.emulator.log.some((e) => e.fault !== undefined)).toBe(true);
    expect(posts(s.emulator)).toEqual([]);
  } finally {
    await s.close();
  }
}

const injected = (s: Scenario, status: number) => s.emulator.log.filter((e) => e.fault === 'status' && e.status === status).length;

describe('rate limiting', () => {
  it('a 429 storm with Retry-After is waited out and the apply converges', async () => {
    const clock = new VirtualClock(); // the Retry-After seconds are waited on it, not slept
    await survives([{ kind: 'status', status: 429, times: 20, retryAfter: '0' }, { kind: 'status', status: 429, times: 2, retryAfter: '1', method: 'POST' }], (s) => {
      expect(injected(s, 429)).toBe(22);
      expect(s.client.stats().rateLimited).toBe(22);
      expect(clock.waits.filter((ms) => ms === 1000)).toHaveLength(2);
    }, { clock });
  });

  it('a 429 storm without Retry-After is backed off and the apply converges', async () => {
    await survives([{ kind: 'status', status: 429, times: 25 }], (s) => expect(injected(s, 429)).toBe(25));
  });

  it('a 429 storm during the read still yields the same plan', async () => {
    await readSurvives([{ kind: 'status', status: 429, times: 15, method: 'GET' }]);
  });
});

describe('server errors', () => {
  it('bursts of 500, 502 and 503 are retried and the apply converges', async () => {
    await survives(
      [
        { kind: 'status', status: 500, times: 4 },
        { kind: 'status', status: 502, times: 4, method: 'POST' },
        { kind: 'status', status: 503, times: 4, method: 'GET' },
      ],
      (s) => expect(injected(s, 500) + injected(s, 502) + injected(s, 503)).toBe(12),
    );
  });

  it('5xx bursts during the read still yield the same plan', async () => {
    await readSurvives([
      { kind: 'status', status: 502, times: 3, path: '/tokens' },
      { kind: 'status', status: 503, times: 3, path: '/deployments' },
      { kind: 'status', status: 500, times: 3, path: '/roles' },
    ]);
  });
});

describe('connections', () => {
  it('resets before the answer (nothing handled) are retried', async () => {
    await survives([{ kind: 'reset', when: 'before-response', times: 6 }], (s) =>
      expect(s.emulator.log.filter((e) => e.fault === 'reset').length).toBe(6));
  });

  it('resets mid-body after a POST was handled are retried safely (the POST is idempotent)', async () => {
    await survives([{ kind: 'reset', when: 'mid-body', times: 4, method: 'POST' }], (s) => {
      const cut = s.emulator.log.filter((e) => e.fault === 'reset' && e.method === 'POST');
      expect(cut.length).toBe(4);
      expect(cut.every((e) => e.status === 200)).toBe(true); // handled, then the answer was cut
    });
  });

  it('resets mid-body while reading pages still yield the same plan', async () => {
    await readSurvives([{ kind: 'reset', when: 'mid-body', times: 4, method: 'GET' }]);
  });

  it('a hung server times out and the request is retried', async () => {
    await survives([{ kind: 'hang', times: 2, method: 'GET', path: '/tokens/*' }, { kind: 'hang', times: 1, method: 'POST' }], (s) =>
      expect(s.emulator.log.filter((e) => e.fault === 'hang').length).toBe(3));
  });

  it('a malformed JSON body is treated as a transient fault and asked again', async () => {
    await survives([{ kind: 'malformed', times: 3, method: 'GET' }, { kind: 'malformed', times: 2, method: 'POST' }], (s) =>
      expect(s.emulator.log.filter((e) => e.fault === 'malformed').length).toBe(5));
  });

  it('a server that never answers fails the apply for that token only, and writes nothing half', async () => {
    const s = await scenario({}, { maxAttempts: 2 });
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'hang', times: 100, method: 'POST', path: `/tokens/${LEGACY_BOT}/roles` });
      const receipt = await applyWith(plan, s.client);
      const bot = receipt.subjects.find((t) => t.subject.id === LEGACY_BOT)!;
      expect(bot.status).toBe('failed');
      expect(receipt.subjects.filter((t) => t.subject.id !== LEGACY_BOT).every((t) => t.status === 'applied')).toBe(true);
      expect(receipt.status).toBe('partial');
      const after = snapshotRoles(s.emulator);
      expect(after.get(LEGACY_BOT)).toEqual(s.before.get(LEGACY_BOT));
      expect(lostEntries(s.before, after, ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('the organization changes between plan and apply', () => {
  it('a token deleted since the plan is reported as not found; the others are applied', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.mutate((st) => {
        st.tokens = st.tokens.filter((t) => t.id !== LEGACY_BOT);
      });
      const receipt = await applyWith(plan, s.client);
      const bot = receipt.subjects.find((t) => t.subject.id === LEGACY_BOT)!;
      expect(bot.status).toBe('failed');
      expect(bot.error).toMatch(/not found/);
      expect(receipt.subjects.filter((t) => t.subject.id !== LEGACY_BOT).map((t) => t.status)).toEqual(
        Array(receipt.subjects.length - 1).fill('applied'),
      );
      expect(receipt.status).toBe('partial');
      expect(posts(s.emulator).some((e) => e.path.includes(LEGACY_BOT))).toBe(false);
      const before = new Map(s.before);
      before.delete(LEGACY_BOT);
      expect(lostEntries(before, snapshotRoles(s.emulator), ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a foreign write after the plan read is a conflict: nothing written for that token, the foreign change kept', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      const foreign: ApiTokenRole = { entityType: 'DEPLOYMENT', entityId: SANDBOX, role: 'DAG_VIEWER' };
      s.emulator.mutate((st) => {
        const t = st.tokens.find((x) => x.id === CI_DEPLOYER)!;
        t.roles = [...(t.roles ?? []), foreign];
      });
      const changed = snapshotRoles(s.emulator).get(CI_DEPLOYER);
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('conflict');
      expect(ci.error).toMatch(/changed since the plan/);
      expect(receipt.subjects.filter((t) => t.subject.id !== CI_DEPLOYER).every((t) => t.status === 'applied')).toBe(true);
      expect(posts(s.emulator).some((e) => e.path.includes(CI_DEPLOYER))).toBe(false);
      const after = snapshotRoles(s.emulator);
      expect(after.get(CI_DEPLOYER)).toEqual(changed);
      expect(after.get(CI_DEPLOYER)).toContain(entryKey(foreign));
      expect(lostEntries(s.before, after, ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a 401 mid-run is not retried; that token is reported and nothing half-written', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'status', status: 401, times: 1, method: 'POST', path: `/tokens/${CI_DEPLOYER}/roles` });
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('failed');
      expect(ci.error).toMatch(/401/);
      expect(receipt.status).toBe('partial');
      expect(posts(s.emulator).filter((e) => e.path.includes(CI_DEPLOYER)).map((e) => e.status)).toEqual([401]);
      const after = snapshotRoles(s.emulator);
      expect(after.get(CI_DEPLOYER)).toEqual(s.before.get(CI_DEPLOYER));
      expect(lostEntries(s.before, after, ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a 401 on every write leaves every token exactly as it was', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'status', status: 401, times: 1000, method: 'POST' });
      const receipt = await applyWith(plan, s.client);
      expect(receipt.subjects.every((t) => t.status === 'failed')).toBe(true);
      expect(snapshotRoles(s.emulator)).toEqual(s.before);
    } finally {
      await s.close();
    }
  });
});
