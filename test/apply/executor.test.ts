import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import type { ActualToken } from '../../src/astro/actual.ts';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import { AstroApiError } from '../../src/errors.ts';
import { fingerprintRoles } from '../../src/plan/fingerprint.ts';
import type { Plan, PlanAction } from '../../src/plan/types.ts';
import { action, cuid, deployment, plan as makePlan, token } from '../render/builders.ts';
import { FakeAstro } from './fake-astro.ts';

// The executor's decisions, one at a time, against an in-memory API edge: what it writes, when it
// refuses, and what the receipt says. The same behaviours over HTTP are in test/faults/.

const PROD = deployment({ id: cuid(1, 'd'), name: 'prod' });
const STAGING = deployment({ id: cuid(2, 'd'), name: 'staging' });
const WS: ApiTokenRole = { entityType: 'WORKSPACE', entityId: PROD.workspaceId, role: 'WORKSPACE_MEMBER' };
const DAG: ApiTokenRole = { entityType: 'DAG', entityId: 'etl', role: 'DAG_VIEWER', deploymentId: STAGING.id };
const OTHER: ApiTokenRole = { entityType: 'DEPLOYMENT', entityId: cuid(3, 'd'), role: 'DEPLOYMENT_ADMIN' };
const onProd = (role: string): ApiTokenRole => ({ entityType: 'DEPLOYMENT', entityId: PROD.id, role });
const onStaging = (role: string): ApiTokenRole => ({ entityType: 'DEPLOYMENT', entityId: STAGING.id, role });

function liveToken(n: number, roles: ApiTokenRole[]): ActualToken {
  return {
    id: cuid(n), name: `bot-${n}`, description: '', shortToken: 'x', scope: 'WORKSPACE', kind: 'STANDARD',
    roles, startAt: '2026-01-01T00:00:00Z', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  };
}

/** One token per entry in the fake; an add of DEPLOYMENT_ADMIN on prod for each, fingerprinted as read now. */
function setup(...rolesPerToken: ApiTokenRole[][]): { api: FakeAstro; plan: Plan; ids: string[] } {
  const api = new FakeAstro();
  const ids = rolesPerToken.map((roles, i) => {
    const t = liveToken(i + 1, roles);
    api.tokens.set(t.id, t);
    return t.id;
  });
  const actions = ids.map((id) => action('add', { deployment: PROD, subject: token({ id, name: `bot-${ids.indexOf(id) + 1}` }) }));
  return { api, plan: withFingerprints(api, actions), ids };
}

function withFingerprints(api: FakeAstro, actions: PlanAction[]): Plan {
  const p = makePlan({ actions });
  p.tokens = Object.fromEntries(actions.map((a) => [a.subject.id, { fingerprint: fingerprintRoles(api.tokens.get(a.subject.id)!.roles) }]));
  return p;
}

const of = (receipt: Receipt, id: string) => receipt.subjects.find((t) => t.subject.id === id)!;
const rolesOf = (api: FakeAstro, id: string) => api.tokens.get(id)!.roles;
const postsTo = (api: FakeAstro, id: string) => api.calls.filter((c) => c === `POST ${id}`).length;

describe('one compare-and-swap write per token', () => {
  it('sends every entry as read, in place, with only the owned deployment changed, in one POST', async () => {
    const { api, ids: [id] } = setup([OTHER, WS, onProd('DAG_VIEWER'), DAG]);
    const p = withFingerprints(api, [
      action('update', { deployment: PROD, subject: token({ id }) }),
      action('add', { deployment: STAGING, subject: token({ id }), after: 'DEPLOYMENT_ACCESSOR' }),
    ]);
    const receipt = await applyPlan(p, api);
    expect(of(receipt, id!).status).toBe('applied');
    expect(rolesOf(api, id!)).toEqual([OTHER, WS, onProd('DEPLOYMENT_ADMIN'), DAG, onStaging('DEPLOYMENT_ACCESSOR')]);
    expect(api.calls).toEqual([`GET ${id}`, `POST ${id}`]);
    expect(of(receipt, id!).before).toEqual([OTHER, WS, onProd('DAG_VIEWER'), DAG]);
    expect(of(receipt, id!).requestIds).toEqual(['get-1', 'post-2']);
  });

  it('a removal drops the owned entry and keeps the rest', async () => {
    const { api, ids: [id] } = setup([WS, onProd('DEPLOYMENT_ADMIN'), DAG]);
    const p = withFingerprints(api, [action('remove', { deployment: PROD, subject: token({ id }) })]);
    expect((await applyPlan(p, api)).status).toBe('applied');
    expect(rolesOf(api, id!)).toEqual([WS, DAG]);
  });
});

describe('compare-and-swap refusal', () => {
  it('a token changed since the plan is a conflict: nothing written, the foreign change kept', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    rolesOf(api, id!).push(OTHER);
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!).status).toBe('conflict');
    expect(of(receipt, id!).error).toMatch(/changed since the plan was made; nothing written/);
    expect(postsTo(api, id!)).toBe(0);
    expect(rolesOf(api, id!)).toEqual([WS, OTHER]);
    expect(receipt.status).toBe('partial');
  });

  it('a token changed into exactly what the plan wanted is already applied: nothing written', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    rolesOf(api, id!).push(onProd('DEPLOYMENT_ADMIN'));
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!).status).toBe('already-applied');
    expect(postsTo(api, id!)).toBe(0);
    expect(receipt.status).toBe('already-applied');
  });

  it('a plan without a fingerprint for the token writes nothing', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    plan.tokens = {};
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!)).toMatchObject({ status: 'conflict', error: expect.stringMatching(/no fingerprint/) });
    expect(postsTo(api, id!)).toBe(0);
  });
});

describe('before a retry, a fresh read decides', () => {
  it('landed: the write is in the re-read, so it is not sent again', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['lost'];
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!).status).toBe('applied');
    expect(api.calls).toEqual([`GET ${id}`, `POST ${id}`, `GET ${id}`]);
    expect(rolesOf(api, id!)).toEqual([WS, onProd('DEPLOYMENT_ADMIN')]);
  });

  it('not landed, token as planned: the retry sends a list built from the fresh read', async () => {
    const { api, plan, ids: [id] } = setup([WS, DAG]);
    api.fates = ['transient'];
    // The server reorders the list (same fingerprint): the retried list follows the fresh read's order.
    api.beforeAttempt = (tokenId, attempt) => {
      if (attempt === 1) api.tokens.get(tokenId)!.roles.reverse();
    };
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!).status).toBe('applied');
    expect(api.calls).toEqual([`GET ${id}`, `POST ${id}`, `GET ${id}`, `POST ${id}`]);
    expect(rolesOf(api, id!)).toEqual([DAG, WS, onProd('DEPLOYMENT_ADMIN')]);
  });

  it('someone else wrote meanwhile: a conflict, no second POST, their entry kept', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['transient'];
    api.beforeAttempt = (tokenId, attempt) => {
      if (attempt === 1) api.tokens.get(tokenId)!.roles.push(OTHER); // lands before the failed POST
    };
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!)).toMatchObject({ status: 'conflict', after: null, error: expect.stringMatching(/changed while the write was retried/) });
    expect(postsTo(api, id!)).toBe(1);
    expect(rolesOf(api, id!)).toEqual([WS, OTHER]);
  });

  it('every attempt failed and the token is as planned: failed, and the receipt says nothing was written', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['transient', 'transient', 'transient'];
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!)).toMatchObject({ status: 'failed', error: expect.stringMatching(/nothing written \(the token is as planned\)/) });
    expect(postsTo(api, id!)).toBe(3);
    expect(rolesOf(api, id!)).toEqual([WS]);
  });

  it('a 4xx to the POST is a refusal: failed with its request ID, not retried', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['refused'];
    const r = of(await applyPlan(plan, api), id!);
    expect(r.status).toBe('failed');
    expect(r.requestIds).toContain('err-400');
    expect(postsTo(api, id!)).toBe(1);
  });
});

describe('the answer is not proof', () => {
  it('a sparse `{}` answer is confirmed by a GET', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['sparse'];
    const receipt = await applyPlan(plan, api);
    expect(of(receipt, id!).status).toBe('applied');
    expect(api.calls).toEqual([`GET ${id}`, `POST ${id}`, `GET ${id}`]);
  });

  it('a sparse answer to a write that did not take: the confirming GET makes it a failure', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    api.fates = ['dropped'];
    const r = of(await applyPlan(plan, api), id!);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/does not match: deployment prod .* expected DEPLOYMENT_ADMIN, the API reports no role/);
  });

  it('a full answer that shows the owned roles needs no GET', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    await applyPlan(plan, api);
    expect(api.calls).toEqual([`GET ${id}`, `POST ${id}`]);
  });
});

describe('own-scope check', () => {
  it('a token read without its own WORKSPACE entry is not written (the list would drop it)', async () => {
    const { api, plan, ids: [id] } = setup([]);
    const r = of(await applyPlan(plan, api), id!);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/0 WORKSPACE entries.*nothing written/);
    expect(postsTo(api, id!)).toBe(0);
  });
});

describe('interrupt', () => {
  it('once stopped, no new token is started: the rest are not started and untouched', async () => {
    const { api, plan, ids } = setup([WS], [WS], [WS]);
    const stop = new AbortController();
    const receipt = await applyPlan(plan, api, { concurrency: 1, stop: stop.signal, onProgress: () => stop.abort() });
    expect(receipt.subjects.map((t) => t.status)).toEqual(['applied', 'not-started', 'not-started']);
    expect(receipt.status).toBe('interrupted');
    expect(receipt.summary).toMatchObject({ applied: 1, notStarted: 2 });
    expect(api.calls.filter((c) => !c.endsWith(ids[0]!))).toEqual([]);
  });

  it('stopped while a write waits for its retry: not retried, reported interrupted with the token as it was', async () => {
    const { api, plan, ids: [id] } = setup([WS]);
    const stop = new AbortController();
    api.fates = ['transient'];
    api.beforeAttempt = () => stop.abort();
    const r = of(await applyPlan(plan, api, { stop: stop.signal }), id!);
    expect(r).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/interrupted before its retry/) });
    expect(postsTo(api, id!)).toBe(1);
    expect(rolesOf(api, id!)).toEqual([WS]);
  });
});

describe('per-token isolation', () => {
  it('a deleted token, a refused write and a conflict leave the other tokens applied', async () => {
    const { api, plan, ids } = setup([WS], [WS], [WS], [WS]);
    const [gone, refused, changed, fine] = ids as [string, string, string, string];
    api.tokens.delete(gone);
    rolesOf(api, changed).push(OTHER);
    api.beforeAttempt = (tokenId) => {
      if (tokenId === refused) api.fates = ['refused'];
    };
    const receipt = await applyPlan(plan, api, { concurrency: 1 });
    expect(receipt.subjects.map((t) => [t.subject.id, t.status])).toEqual([
      [gone, 'failed'],
      [refused, 'failed'],
      [changed, 'conflict'],
      [fine, 'applied'],
    ]);
    expect(of(receipt, gone).error).toMatch(/token not found/);
    expect(rolesOf(api, fine)).toEqual([WS, onProd('DEPLOYMENT_ADMIN')]);
    expect(receipt.summary).toMatchObject({ subjects: 4, applied: 1, failed: 2, conflicts: 1 });
  });

  it('a failed read is that token’s failure only, even with all tokens in flight at once', async () => {
    const { api, plan, ids } = setup([WS], [WS], [WS]);
    api.failGet.set(ids[1]!, new AstroApiError({ message: 'connection reset', method: 'GET', path: '/tokens', attempts: 5 }));
    const receipt = await applyPlan(plan, api, { concurrency: 3 });
    expect(receipt.subjects.map((t) => t.status)).toEqual(['applied', 'failed', 'applied']);
    expect(of(receipt, ids[1]!).error).toBe('connection reset');
  });
});
