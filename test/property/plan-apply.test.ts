import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAstroClient, type AstroClient } from '../../src/astro/client.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { sentinelToken } from '../support/cli.ts';
import { entryKey, ownedBy, snapshotRoles, type RoleSnapshot } from '../faults/harness.ts';
import { FAST_CLIENT, applyWith, planWith } from '../faults/scenario.ts';
import { ORG, blueprintArb, buildCase, type Case } from './blueprint.ts';

// For random organizations and manifests: plan, apply against the emulator, then check that every role
// entry the plan does not own is unchanged, that the managed bindings equal the manifest, and that a
// second plan is empty. Seeded: a failure reproduces with the same seed and path.

let emulator: Emulator;
let client: AstroClient;
beforeAll(async () => {
  emulator = await startEmulator({ state: buildCase(fc.sample(blueprintArb, { seed: 1, numRuns: 1 })[0]!).state });
  client = createAstroClient({ baseUrl: emulator.url, token: sentinelToken(), organizationId: ORG, ...FAST_CLIENT });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

/** Each token's entries, minus the DEPLOYMENT entries the plan owns. */
function unowned(snapshot: RoleSnapshot, owned: Set<string>): Map<string, string[]> {
  return new Map(
    [...snapshot].map(([tokenId, entries]) => [
      tokenId,
      entries.filter((e) => {
        const [type, entity] = JSON.parse(e) as [string, string];
        return !(type === 'DEPLOYMENT' && owned.has(`${tokenId}|${entity}`));
      }),
    ]),
  );
}

function deploymentRole(snapshot: RoleSnapshot, tokenId: string, deploymentId: string): string | undefined {
  for (const e of snapshot.get(tokenId) ?? []) {
    const [type, entity, role] = JSON.parse(e) as [string, string, string];
    if (type === 'DEPLOYMENT' && entity === deploymentId) return role;
  }
  return undefined;
}

/** The oracle: what each managed binding must be after the apply, computed from the manifest alone. */
function checkManaged(c: Case, before: RoleSnapshot, after: RoleSnapshot): void {
  const tokens = c.state.tokens;
  for (const m of c.managed) {
    const kinds = [
      [m.workspace, tokens.filter((t) => t.scope === 'WORKSPACE' && c.homeOf.get(t.id) === m.deployment.workspaceId)],
      [m.organization, tokens.filter((t) => t.scope === 'ORGANIZATION')],
    ] as const;
    for (const [declared, ofKind] of kinds) {
      if (declared === undefined) continue;
      for (const t of ofKind) {
        const now = deploymentRole(after, t.id, m.deployment.id);
        const was = deploymentRole(before, t.id, m.deployment.id);
        const where = `${t.name} on ${m.deployment.workspaceName}/${m.deployment.name}`;
        if (c.ignoredTokenIds.has(t.id)) expect(now, `${where} (ignored)`).toBe(was);
        else if (declared.has(t.id)) expect(now, `${where} (declared)`).toBe(declared.get(t.id));
        else if (m.prune) expect(now, `${where} (undeclared, prune on)`).toBeUndefined();
        else expect(now, `${where} (undeclared, prune off)`).toBe(was);
      }
    }
  }
}

it('plan then apply: only owned entries change, managed bindings match the manifest, a second plan is empty', async () => {
  let cases = 0;
  const seen = { add: 0, update: 0, remove: 0, unmanaged: 0, ignored: 0 };
  await fc.assert(
    fc.asyncProperty(blueprintArb, async (bp) => {
      const c = buildCase(bp);
      emulator.setState(c.state);
      const { desired, errors } = loadManifestSources([{ file: 'property.yaml', text: c.yaml }]);
      expect(errors, c.yaml).toEqual([]);
      const before = snapshotRoles(emulator);
      const { plan } = await planWith(client, desired!);
      for (const k of ['add', 'update', 'remove', 'unmanaged', 'ignored'] as const) seen[k] += plan.summary[k];
      const receipt = await applyWith(plan, client);
      expect(receipt.subjects.filter((t) => t.status !== 'applied'), c.yaml).toEqual([]);
      const after = snapshotRoles(emulator);
      const owned = ownedBy(plan);
      expect(unowned(after, owned)).toEqual(unowned(before, owned));
      checkManaged(c, before, after);
      expect((await planWith(client, desired!)).plan.actions).toEqual([]);
      cases++;
    }),
    { seed: 42, numRuns: 200 },
  );
  expect(cases).toBeGreaterThanOrEqual(200);
  // The generated cases exercise every kind of action and every kind of binding left alone.
  for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(20);
}, 120_000);

/** Per affected token (by index), a fault on its roles POST; `foreign`: another admin writes during the wait after a 429. */
const raceArb = fc.record({
  faults: fc.array(
    fc.record({
      token: fc.nat(20),
      kind: fc.constantFrom('429', '5xx', 'reset', 'foreign') as fc.Arbitrary<'429' | '5xx' | 'reset' | 'foreign'>,
      times: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 6 },
  ),
  /** 5xx and 429 on any request at all, GETs included. */
  anywhere: fc.array(fc.record({ status: fc.constantFrom(429, 500, 502, 503), times: fc.integer({ min: 1, max: 3 }) }), { maxLength: 3 }),
});

it('the retry race: with foreign writes, 429s and 5xx interleaved at random, no entry the plan does not own is ever lost', async () => {
  let cases = 0;
  let raced = 0;
  await fc.assert(
    fc.asyncProperty(blueprintArb, raceArb, async (bp, race) => {
      const c = buildCase(bp);
      emulator.setState(c.state);
      const { desired } = loadManifestSources([{ file: 'property.yaml', text: c.yaml }]);
      const { plan } = await planWith(client, desired!);
      const tokenIds = Object.keys(plan.tokens);
      const foreign = new Map<string, string>();
      for (const f of tokenIds.length === 0 ? [] : race.faults) {
        const tokenId = tokenIds[f.token % tokenIds.length]!;
        const path = `/tokens/${tokenId}/roles`;
        if (f.kind === 'reset') emulator.fault({ kind: 'reset', when: 'mid-body', times: f.times, method: 'POST', path });
        else if (f.kind === '5xx') emulator.fault({ kind: 'status', status: 500 + (f.times % 4), times: f.times, method: 'POST', path });
        else emulator.fault({ kind: 'status', status: 429, retryAfter: '0', times: f.times, method: 'POST', path });
        if (f.kind === 'foreign' && !foreign.has(tokenId)) {
          const deploymentId = plan.actions.find((a) => a.subject.id === tokenId)!.deployment.id;
          const entry: ApiTokenRole = { entityType: 'DAG', entityId: `foreign-dag-${cases}`, role: 'DAG_VIEWER', deploymentId };
          const current = emulator.state().tokens.find((t) => t.id === tokenId)!.roles ?? [];
          emulator.fault({ kind: 'foreignWrite', on: 'rejectedWrite', tokenId, roles: [...current, entry] });
          foreign.set(tokenId, entryKey(entry));
        }
      }
      for (const a of race.anywhere) emulator.fault({ kind: 'status', status: a.status, times: a.times, ...(a.status === 429 ? { retryAfter: '0' } : {}) });
      const before = snapshotRoles(emulator);
      const receipt = await applyWith(plan, client);
      emulator.clearFaults();
      const after = snapshotRoles(emulator);
      const owned = ownedBy(plan);
      // Every entry the plan does not own is still there, and so is each foreign write's entry.
      const kept = unowned(after, owned);
      for (const [tokenId, entries] of unowned(before, owned)) {
        const now = new Set(kept.get(tokenId) ?? []);
        expect(entries.filter((e) => !now.has(e)), `${tokenId}\n${c.yaml}`).toEqual([]);
      }
      for (const [tokenId, entry] of foreign) {
        const wrote = (after.get(tokenId) ?? []).includes(entry);
        // The foreign write fires only when that token's POST met its 429; then the token is a conflict.
        if (wrote) {
          raced++;
          expect(receipt.subjects.find((t) => t.subject.id === tokenId)?.status, c.yaml).toBe('conflict');
        } else {
          expect(receipt.subjects.find((t) => t.subject.id === tokenId)?.status, c.yaml).not.toBe('conflict');
        }
      }
      // Tokens that met no foreign write end applied (retries outlast the faults) or, for a token
      // the guards of a live server refuse, failed; never a conflict.
      for (const t of receipt.subjects) if (!foreign.has(t.subject.id)) expect(t.status, `${t.subject.name}: ${t.error}`).not.toBe('conflict');
      cases++;
    }),
    { seed: 4242, numRuns: 200 },
  );
  expect(cases).toBeGreaterThanOrEqual(200);
  // The race was actually run, many times: a foreign write landed between a 429 and its retry.
  expect(raced).toBeGreaterThan(50);
}, 240_000);

it('the oracle notices a wrong binding (the check can fail)', () => {
  const c = buildCase(fc.sample(blueprintArb, { seed: 7, numRuns: 50 }).find((bp) => buildCase(bp).managed.some((m) => (m.workspace?.size ?? 0) > 0))!);
  const m = c.managed.find((x) => (x.workspace?.size ?? 0) > 0)!;
  const [tokenId] = [...m.workspace!.keys()];
  const entry = entryKey({ entityType: 'DEPLOYMENT', entityId: m.deployment.id, role: 'NOT_DECLARED' });
  const wrong: RoleSnapshot = new Map([[tokenId!, [entry]]]);
  expect(() => checkManaged({ ...c, ignoredTokenIds: new Set() }, wrong, wrong)).toThrow();
});
