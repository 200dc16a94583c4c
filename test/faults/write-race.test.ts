import { describe, expect, it } from 'vitest';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { allRules } from '../../src/emulator/validate-roles.ts';
import { entryKey, lostEntries, ownedBy, posts, snapshotRoles } from './harness.ts';
import { applyPlan } from '../../src/apply/executor.ts';
import { applyWith, planWith, scenario } from './scenario.ts';

// The write itself under attack, against the emulator: a foreign write racing a retried POST, a POST
// that landed though its answer was lost, a token whose answers carry no roles, a sparse `{}` answer.

const CI_DEPLOYER = 'clz9k2w1q000108mh3tq4a7vd';
const ORG_OBSERVER = 'cw4dinf6dlhxjieb6afp31poi';
const SANDBOX = 'c6yyp01uwfa475kqahw0yamn3';
const ciRoles = `/tokens/${CI_DEPLOYER}/roles`;

/** Every roles rule off: a server that accepts any list, as a lenient implementation might. */
const LENIENT = Object.fromEntries(Object.keys(allRules()).map((k) => [k, false]));

describe('a retried roles POST never sends a list older than its last read', () => {
  it('a foreign write during the wait after a 429 is a conflict: nothing more written, the foreign entry kept', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      const current = s.emulator.state().tokens.find((t) => t.id === CI_DEPLOYER)!.roles!;
      const foreign: ApiTokenRole = { entityType: 'DEPLOYMENT', entityId: SANDBOX, role: 'DAG_VIEWER' };
      s.emulator.fault({ kind: 'status', status: 429, retryAfter: '0', times: 1, method: 'POST', path: ciRoles });
      s.emulator.fault({ kind: 'foreignWrite', on: 'rejectedWrite', tokenId: CI_DEPLOYER, roles: [...current, foreign] });
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('conflict');
      expect(ci.error).toMatch(/changed while the write was retried/);
      expect(ci.after).toBeNull();
      expect(posts(s.emulator).filter((e) => e.path.endsWith(ciRoles)).map((e) => e.status)).toEqual([429]);
      expect(snapshotRoles(s.emulator).get(CI_DEPLOYER)).toContain(entryKey(foreign));
      expect(receipt.subjects.filter((t) => t.subject.id !== CI_DEPLOYER).every((t) => t.status === 'applied')).toBe(true);
      expect(lostEntries(s.before, snapshotRoles(s.emulator), ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a POST that landed but whose answer was cut is not sent again: the re-read shows it landed', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'reset', when: 'mid-body', times: 1, method: 'POST', path: ciRoles });
      const receipt = await applyWith(plan, s.client);
      expect(receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!.status).toBe('applied');
      expect(posts(s.emulator).filter((e) => e.path.endsWith(ciRoles))).toHaveLength(1);
      expect((await planWith(s.client)).plan.actions).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a write accepted with an answer that is not SubjectRoles is confirmed by a GET and reported applied', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'malformed', body: '[]', times: 1, method: 'POST', path: ciRoles });
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('applied');
      expect(ci.after).not.toBeNull();
      expect(posts(s.emulator).filter((e) => e.path.endsWith(ciRoles))).toHaveLength(1);
      expect((await planWith(s.client)).plan.actions).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a garbled answer on the last attempt is confirmed by a GET: the write that landed is in the receipt', async () => {
    const s = await scenario({}, { maxAttempts: 1 });
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'malformed', times: 1, method: 'POST', path: ciRoles });
      const receipt = await applyWith(plan, s.client);
      expect(receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!.status).toBe('applied');
      expect((await planWith(s.client)).plan.actions).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a write that failed outright is reported as failed with nothing written, after a GET shows the token as planned', async () => {
    const s = await scenario({}, { maxAttempts: 1 });
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'reset', when: 'before-response', times: 1, method: 'POST', path: ciRoles });
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('failed');
      expect(ci.error).toMatch(/nothing written/);
      expect(ci.after).toBeNull();
      expect(lostEntries(s.before, snapshotRoles(s.emulator), ownedBy(plan))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a 503 with the token unchanged is retried with a list built from the re-read', async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client);
      s.emulator.fault({ kind: 'status', status: 503, times: 2, method: 'POST', path: ciRoles });
      const receipt = await applyWith(plan, s.client);
      expect(receipt.status).toBe('applied');
      expect(posts(s.emulator).filter((e) => e.path.endsWith(ciRoles)).map((e) => e.status)).toEqual([503, 503, 200]);
      const gets = s.emulator.log.filter((e) => e.method === 'GET' && e.path.endsWith(`/tokens/${CI_DEPLOYER}`));
      expect(gets).toHaveLength(3); // the first read, and one re-read before each retry
      expect((await planWith(s.client)).plan.actions).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('never a blind write', () => {
  it('a token served without `roles` is not written (its own-scope entry is unknown); the others are, on a server that accepts any list', async () => {
    const s = await scenario({ omitTokenRoles: [ORG_OBSERVER], validation: LENIENT });
    try {
      const { plan } = await planWith(s.client);
      expect(plan.actions.some((a) => a.subject.id === ORG_OBSERVER)).toBe(true);
      const receipt = await applyWith(plan, s.client);
      const observer = receipt.subjects.find((t) => t.subject.id === ORG_OBSERVER)!;
      expect(observer.status).toBe('failed');
      expect(observer.error).toMatch(/exactly one ORGANIZATION entry.*nothing written/);
      expect(observer.after).toBeNull();
      expect(posts(s.emulator).some((e) => e.path.includes(ORG_OBSERVER))).toBe(false);
      expect(snapshotRoles(s.emulator).get(ORG_OBSERVER)).toEqual(s.before.get(ORG_OBSERVER));
      expect(receipt.subjects.filter((t) => t.subject.id !== ORG_OBSERVER).every((t) => t.status === 'applied')).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('the POST answer is not proof', () => {
  it('an empty `{}` answer is confirmed with one GET per token, and the apply succeeds', async () => {
    const s = await scenario({ rolesAnswer: 'empty' });
    try {
      const { plan } = await planWith(s.client);
      const receipt = await applyWith(plan, s.client);
      expect(receipt.subjects.filter((t) => t.status !== 'applied')).toEqual([]);
      const written = new Set(posts(s.emulator).map((e) => e.path.replace(/\/roles$/, '')));
      const gets = s.emulator.log.filter((e) => e.method === 'GET' && written.has(e.path));
      expect(gets).toHaveLength(2 * written.size); // the read before the write, and one confirmation
      expect((await planWith(s.client)).plan.actions).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a `{}` answer to a write the server did not keep is reported as failed after the confirming GET', async () => {
    const s = await scenario({ rolesAnswer: 'empty' });
    try {
      const { plan } = await planWith(s.client);
      const current = s.emulator.state().tokens.find((t) => t.id === CI_DEPLOYER)!.roles!;
      // Right after our write is answered, another admin puts the old list back: the confirming GET sees it.
      s.emulator.fault({ kind: 'foreignWrite', on: 'write', tokenId: CI_DEPLOYER, roles: current });
      const receipt = await applyWith(plan, s.client);
      const ci = receipt.subjects.find((t) => t.subject.id === CI_DEPLOYER)!;
      expect(ci.status).toBe('failed');
      expect(ci.error).toMatch(/does not match/);
    } finally {
      await s.close();
    }
  });
});

describe('progress lines', () => {
  it('carry a hostile token name and error escaped: no line of their own, no escape sequence', async () => {
    const s = await scenario({}, { maxAttempts: 1 });
    try {
      const { plan } = await planWith(s.client);
      const evil = 'ci\n::error file=x::forged\x1b]0;owned\x07';
      for (const a of plan.actions) if (a.subject.id === CI_DEPLOYER) a.subject.name = evil;
      s.emulator.fault({ kind: 'status', status: 400, body: '{"message":"bad\\n::warning::x\\u001b[31m","requestId":"r"}', times: 1, method: 'POST', path: ciRoles });
      const lines: string[] = [];
      await applyPlan(plan, s.client, { onProgress: (line) => lines.push(line) });
      const ci = lines.find((l) => l.includes(CI_DEPLOYER))!;
      expect(ci).toContain('failed');
      expect(lines.every((l) => !/[\n\r\x1b\x07]/.test(l))).toBe(true);
      expect(ci).toContain('ci\\x0a::error');
    } finally {
      await s.close();
    }
  });
});
