import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAstroClient, readOnly, type AstroClient } from '../../src/astro/client.ts';
import { readActual } from '../../src/astro/read-actual.ts';
import type { SubjectRoleSet, UpdateSubjectRolesRequest } from '../../src/astro/types.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { loadManifestSources } from '../../src/manifest/load.ts';
import { isExpiryRemoval } from '../../src/plan/expiry.ts';
import { makePlan } from '../../src/plan/planner.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { Desired } from '../../src/manifest/types.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import { sentinelToken } from '../support/cli.ts';
import { FAST_CLIENT, applyWith } from '../faults/scenario.ts';
import { ORG } from './blueprint.ts';
import { NOW, WORKSPACE_ROLES, buildSubjectsCase, subjectsBlueprintArb, type Kind, type Roles, type SubjectsCase } from './subjects-blueprint.ts';

// Issue 16: for random organizations whose users and teams hold roles of every kind, and random manifests
// declaring them (emails in any case, IDs, team names, expiring grants), plan at a fixed `now` and apply
// against the emulator, with and without faults. Every user's and team's organization role, workspace
// roles (but for the server's own Workspace Accessor) and DAG roles must be exactly as they were, and its
// deployment roles as the manifest says on managed deployments and as they were elsewhere; a subject
// another admin wrote to during the apply is a conflict, its set left as that admin wrote it. The
// expected sets come from the manifest as generated, never from the plan. Seeded: a failure reproduces.

let emulator: Emulator;
let client: AstroClient;
beforeAll(async () => {
  emulator = await startEmulator({ state: buildSubjectsCase(fc.sample(subjectsBlueprintArb, { seed: 1, numRuns: 1 })[0]!).state });
  client = createAstroClient({ baseUrl: emulator.url, token: sentinelToken(), organizationId: ORG, ...FAST_CLIENT });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

function manifestOf(c: SubjectsCase): Desired {
  const { desired, errors } = loadManifestSources([{ file: 'property.yaml', text: c.yaml }]);
  expect(errors, c.yaml).toEqual([]);
  return desired!;
}

/** Read users and teams too, and plan at NOW, as the CLI does (it passes the clock). */
async function planAtNow(c: SubjectsCase, desired: Desired): Promise<Plan> {
  const { actual } = await readActual(readOnly(client), { workspaceIds: [], users: true, teams: true });
  const made = makePlan(desired, actual, { now: NOW });
  expect(made.errors, c.yaml).toEqual([]);
  return made.plan!;
}

type Live = Map<string, { kind: Kind; roles: Roles }>;

/** Every user's and team's role set in the emulator now. */
function live(): Live {
  const s = emulator.state();
  const set = (x: SubjectRoleSet & { organizationRole?: string | null }): Roles => ({
    organizationRole: x.organizationRole ?? null,
    workspaceRoles: x.workspaceRoles ?? [],
    deploymentRoles: x.deploymentRoles ?? [],
    dagRoles: x.dagRoles ?? [],
  });
  const out: Live = new Map();
  for (const u of s.users) out.set(u.id, { kind: 'user', roles: set(u) });
  for (const t of s.teams) out.set(t.id, { kind: 'team', roles: set(t) });
  return out;
}

/** A role set with every list sorted and every entry's keys in one order: equal sets compare equal. */
function canon(r: Roles): Roles {
  const sorted = <T>(xs: T[], key: (x: T) => unknown[]): T[] => xs.map((x) => [JSON.stringify(key(x)), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
  return {
    organizationRole: r.organizationRole,
    workspaceRoles: sorted(r.workspaceRoles.map(({ workspaceId, role }) => ({ workspaceId, role })), (x) => [x.workspaceId, x.role]),
    deploymentRoles: sorted(r.deploymentRoles.map(({ deploymentId, role }) => ({ deploymentId, role })), (x) => [x.deploymentId, x.role]),
    dagRoles: sorted(r.dagRoles.map(({ deploymentId, role, dagId, dagTag }) => ({ deploymentId, role, ...(dagId === undefined ? {} : { dagId }), ...(dagTag === undefined ? {} : { dagTag }) })), (x) => [x.deploymentId, x.dagId ?? null, x.dagTag ?? null, x.role]),
  };
}

/**
 * The oracle, from the manifest as generated: `untouched` (no managed binding of the subject changes),
 * `written` (the set after), or `refused` (the write cannot be made: no organization role to send, or a
 * deployment role removed under the subject's DAG roles, which the server refuses; the set stays).
 */
function expectedOf(c: SubjectsCase, kind: Kind, id: string, before: Roles): { outcome: 'untouched' | 'written' | 'refused'; roles: Roles } {
  const deps = new Map(before.deploymentRoles.map((r) => [r.deploymentId, r.role]));
  let changed = false;
  let orphans = false;
  for (const m of c.managed) {
    const declared = m[kind];
    if (declared === undefined || c.ignored.has(id)) continue;
    const depId = m.deployment.id;
    const was = deps.get(depId);
    const want = declared.has(id) ? declared.get(id) : m.prune ? undefined : was;
    if (want === was) continue;
    changed = true;
    if (want !== undefined) deps.set(depId, want);
    else {
      deps.delete(depId);
      if (before.dagRoles.some((g) => g.deploymentId === depId)) orphans = true;
    }
  }
  if (!changed) return { outcome: 'untouched', roles: before };
  if (before.organizationRole === null || orphans) return { outcome: 'refused', roles: before };
  // The server's own addition: a Workspace Accessor where a deployment role now sits without a workspace role.
  const held = new Set(before.workspaceRoles.map((r) => r.workspaceId));
  const accessor = new Set([...deps.keys()].map((d) => c.workspaceOf.get(d)!).filter((w) => !held.has(w)));
  return {
    outcome: 'written',
    roles: {
      ...before,
      workspaceRoles: [...before.workspaceRoles, ...[...accessor].map((workspaceId) => ({ workspaceId, role: 'WORKSPACE_ACCESSOR' }))],
      deploymentRoles: [...deps].map(([deploymentId, role]) => ({ deploymentId, role })),
    },
  };
}

const statusOf = (receipt: Receipt, kind: Kind, id: string) => receipt.subjects.find((s) => s.subject.type === kind && s.subject.id === id)?.status;

it('users and teams: plan at a fixed now then apply; every role the plan does not own is kept, managed ones match the manifest, a second plan is empty', async () => {
  const seen = { add: 0, update: 0, remove: 0, expiryRemovals: 0, unmanaged: 0, ignored: 0, refused: 0, accessors: 0, ended: 0, running: 0 };
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(subjectsBlueprintArb, async (bp) => {
      const c = buildSubjectsCase(bp);
      emulator.setState(c.state);
      const desired = manifestOf(c);
      const plan = await planAtNow(c, desired);
      for (const k of ['add', 'update', 'remove', 'unmanaged', 'ignored'] as const) seen[k] += plan.summary[k];
      seen.expiryRemovals += plan.actions.filter(isExpiryRemoval).length;
      seen.ended += c.expiries.ended;
      seen.running += c.expiries.running;
      const before = live();
      const receipt = await applyWith(plan, client);
      const after = live();
      const refused = new Set<string>();
      for (const [id, { kind, roles }] of before) {
        const exp = expectedOf(c, kind, id, roles);
        const where = `${kind} ${id}\n${c.yaml}`;
        expect(canon(after.get(id)!.roles), where).toEqual(canon(exp.roles));
        expect(statusOf(receipt, kind, id), where).toBe({ untouched: undefined, written: 'applied', refused: 'failed' }[exp.outcome]);
        if (exp.outcome === 'refused') refused.add(id);
        seen.refused += exp.outcome === 'refused' ? 1 : 0;
        seen.accessors += exp.roles.workspaceRoles.length - roles.workspaceRoles.length;
      }
      // Nothing is left to do but what the server refused.
      const again = await planAtNow(c, desired);
      expect(new Set(again.actions.map((a) => a.subject.id)), c.yaml).toEqual(refused);
      cases++;
    }),
    { seed: 1616, numRuns: 100 },
  );
  expect(cases).toBeGreaterThanOrEqual(100);
  // The cases exercise every action, expiry removals, both kinds of binding left alone, ended and running
  // grants, the server's Workspace Accessor, and writes the server refuses (seeded: the counts are fixed).
  for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThanOrEqual(10);
}, 120_000);

/** Per planned subject (by index), a fault on its roles POST; `foreign`: another admin writes its set during the wait after a 429. */
const raceArb = fc.record({
  faults: fc.array(
    fc.record({
      subject: fc.nat(20),
      kind: fc.constantFrom('429', '5xx', 'reset', 'foreign', 'foreign') as fc.Arbitrary<'429' | '5xx' | 'reset' | 'foreign'>,
      times: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 5 },
  ),
  /** 5xx and 429 on any request at all, GETs included. */
  anywhere: fc.array(fc.record({ status: fc.constantFrom(429, 500, 502, 503), times: fc.integer({ min: 1, max: 3 }) }), { maxLength: 3 }),
});

/** What another admin writes: the set as it is now with one change no apply would make. */
function foreignSet(now: Roles, variant: number, marker: number): UpdateSubjectRolesRequest {
  const set = structuredClone(now);
  const base = { ...set, organizationRole: set.organizationRole ?? 'ORGANIZATION_MEMBER' };
  if (variant === 1) {
    // A workspace role changed or added (never to the accessor the server adds).
    const first = set.workspaceRoles[0];
    if (first) first.role = WORKSPACE_ROLES[(WORKSPACE_ROLES.indexOf(first.role) + 1) % 4]!;
    return { ...base, workspaceRoles: first ? set.workspaceRoles : [{ workspaceId: 'cw00000000000000000000000', role: 'WORKSPACE_MEMBER' }] };
  }
  const deployment = set.deploymentRoles[0]?.deploymentId;
  if (variant === 2 && deployment !== undefined) {
    return { ...base, dagRoles: [...set.dagRoles, { deploymentId: deployment, dagId: `foreign_dag_${marker}`, role: 'DAG_VIEWER' }] };
  }
  return { ...base, organizationRole: set.organizationRole === 'ORGANIZATION_OWNER' ? 'ORGANIZATION_MEMBER' : 'ORGANIZATION_OWNER' };
}

it('users and teams under the retry race: with foreign writes, 429s, 5xx and resets at random, no role is lost and a raced subject is a conflict, never overwritten', async () => {
  let cases = 0;
  let raced = 0;
  let racedRuns = 0;
  await fc.assert(
    fc.asyncProperty(subjectsBlueprintArb, raceArb, async (bp, race) => {
      const c = buildSubjectsCase(bp);
      emulator.setState(c.state);
      const desired = manifestOf(c);
      const plan = await planAtNow(c, desired);
      const targets = [...Object.keys(plan.users).map((id) => ['user', id] as const), ...Object.keys(plan.teams).map((id) => ['team', id] as const)];
      const before = live();
      const foreign = new Map<string, UpdateSubjectRolesRequest>();
      for (const f of targets.length === 0 ? [] : race.faults) {
        const [kind, id] = targets[f.subject % targets.length]!;
        const path = `/${kind}s/${id}/roles`;
        if (f.kind === 'reset') emulator.fault({ kind: 'reset', when: 'mid-body', times: f.times, method: 'POST', path });
        else if (f.kind === '5xx') emulator.fault({ kind: 'status', status: 500 + (f.times % 4), times: f.times, method: 'POST', path });
        else emulator.fault({ kind: 'status', status: 429, retryAfter: '0', times: f.times, method: 'POST', path });
        if (f.kind === 'foreign' && !foreign.has(id)) {
          const set = foreignSet(before.get(id)!.roles, f.times % 3, cases);
          emulator.fault(kind === 'user' ? { kind: 'foreignWrite', on: 'rejectedWrite', userId: id, set } : { kind: 'foreignWrite', on: 'rejectedWrite', teamId: id, set });
          foreign.set(id, set);
        }
      }
      for (const a of race.anywhere) emulator.fault({ kind: 'status', status: a.status, times: a.times, ...(a.status === 429 ? { retryAfter: '0' } : {}) });
      emulator.log.length = 0;
      const receipt = await applyWith(plan, client);
      emulator.clearFaults();
      const after = live();
      let racedHere = 0;
      let allThrough = true;
      for (const [id, { kind, roles }] of before) {
        const now = canon(after.get(id)!.roles);
        const status = statusOf(receipt, kind, id);
        const where = `${kind} ${id}: ${status}\n${c.yaml}`;
        // A foreign write fires when the subject's roles POST is answered by an injected status fault.
        const fired = foreign.has(id) && emulator.log.some((e) => e.method === 'POST' && e.path.endsWith(`/${kind}s/${id}/roles`) && e.fault === 'status');
        if (fired) {
          racedHere++;
          expect(status, where).toBe('conflict');
          expect(now, where).toEqual(canon({ dagRoles: [], deploymentRoles: [], workspaceRoles: [], ...foreign.get(id)! }));
          continue;
        }
        expect(status, where).not.toBe('conflict');
        const exp = expectedOf(c, kind, id, roles);
        if (exp.outcome === 'written' && status !== 'applied') {
          // Retries outlasted by the faults: failed, and the set either as it was or as written, nothing else.
          expect(status, where).toBe('failed');
          allThrough = false;
          if (JSON.stringify(now) !== JSON.stringify(canon(exp.roles))) expect(now, where).toEqual(canon(roles));
          continue;
        }
        expect(status, where).toBe({ untouched: undefined, written: 'applied', refused: 'failed' }[exp.outcome]);
        expect(now, where).toEqual(canon(exp.roles));
      }
      raced += racedHere;
      if (racedHere > 0) racedRuns++;
      // No foreign write and every write through: a second plan has nothing left but what the server refused.
      if (racedHere === 0 && allThrough) {
        const again = await planAtNow(c, desired);
        for (const a of again.actions) {
          expect(expectedOf(c, a.subject.type as Kind, a.subject.id, before.get(a.subject.id)!.roles).outcome, c.yaml).toBe('refused');
        }
      }
      cases++;
    }),
    { seed: 4243, numRuns: 100 },
  );
  expect(cases).toBeGreaterThanOrEqual(100);
  // The race was actually run: in many runs another admin wrote a user or team between a 429 and its retry.
  expect(racedRuns).toBeGreaterThan(25);
  expect(raced).toBeGreaterThanOrEqual(racedRuns);
}, 240_000);

it('the oracle notices a lost workspace, organization or DAG role (the check can fail)', () => {
  const c = fc.sample(subjectsBlueprintArb, { seed: 7, numRuns: 100 }).map(buildSubjectsCase).find((x) => x.state.users!.some((u) => (u.dagRoles?.length ?? 0) > 0))!;
  const u = c.state.users!.find((x) => (x.dagRoles?.length ?? 0) > 0)!;
  const roles: Roles = { organizationRole: u.organizationRole ?? null, workspaceRoles: u.workspaceRoles!, deploymentRoles: u.deploymentRoles!, dagRoles: u.dagRoles! };
  const expected = canon(expectedOf(c, 'user', u.id, roles).roles);
  for (const wrong of [{ ...roles, dagRoles: [] }, { ...roles, workspaceRoles: [] }, { ...roles, organizationRole: 'ORGANIZATION_OWNER_X' }]) {
    expect(canon(wrong)).not.toEqual(expected);
  }
});
