import { describe, expect, it } from 'vitest';
import { actionsBySubject, applyPlan } from '../../src/apply/executor.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import { differences } from '../../src/apply/user-team-roles.ts';
import type { ActualTeam, ActualUser } from '../../src/astro/actual.ts';
import { fingerprintRoleSet } from '../../src/plan/fingerprint.ts';
import type { Plan, PlanAction, PlanSubjectRef } from '../../src/plan/types.ts';
import { action, cuid, deployment, plan as makePlan, token } from '../render/builders.ts';
import { FakeAstro } from './fake-astro.ts';

// Users and teams through the executor, against the in-memory API edge: the whole set sent back but for
// the owned deployment roles, the server's Workspace Accessor tolerated (and nothing else), a user
// without an organization role refused, conflicts and retries decided by a fresh read.

const W1 = cuid(1, 'w');
const W2 = cuid(2, 'w');
const PROD = deployment({ id: cuid(1, 'd'), name: 'prod', workspaceId: W1 });
const OTHER_DEP = cuid(3, 'd'); // in W2
const ORPHAN_DEP = cuid(4, 'd'); // in a workspace the subject has no role on
const W3 = cuid(3, 'w');
const USER_ID = cuid(7, 'u');
const TEAM_ID = cuid(8, 't');
const ACCESSOR = { workspaceId: W1, role: 'WORKSPACE_ACCESSOR' };
const SET = {
  organizationRole: 'ORGANIZATION_MEMBER',
  workspaceRoles: [{ workspaceId: W2, role: 'WORKSPACE_OPERATOR' }],
  deploymentRoles: [{ deploymentId: OTHER_DEP, role: 'DEPLOYMENT_ADMIN' }],
  dagRoles: [{ deploymentId: OTHER_DEP, role: 'DAG_VIEWER', dagId: 'etl' }],
};

function user(over: Partial<ActualUser> = {}): ActualUser {
  return {
    id: USER_ID, username: 'ada@example.com', fullName: 'Ada', avatarUrl: '', status: 'ACTIVE',
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...structuredClone(SET), ...over,
  };
}

function team(over: Partial<ActualTeam> = {}): ActualTeam {
  return {
    id: TEAM_ID, name: 'data-eng', isIdpManaged: false, organizationId: 'corg',
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...structuredClone(SET), ...over,
  };
}

const userRef: PlanSubjectRef = { type: 'user', id: USER_ID, name: 'ada@example.com' };
const teamRef: PlanSubjectRef = { type: 'team', id: TEAM_ID, name: 'data-eng' };

function api(): FakeAstro {
  const fake = new FakeAstro();
  fake.workspaceOf.set(PROD.id, W1).set(OTHER_DEP, W2).set(ORPHAN_DEP, W3);
  return fake;
}

/** A plan of these actions, fingerprinted as the fake holds each user and team now. */
function planOf(fake: FakeAstro, actions: PlanAction[]): Plan {
  const p = makePlan({ actions });
  p.tokens = {};
  for (const a of actions) {
    const held = a.subject.type === 'user' ? fake.users.get(a.subject.id) : fake.teams.get(a.subject.id);
    if (held) (a.subject.type === 'user' ? p.users : p.teams)[a.subject.id] = { fingerprint: fingerprintRoleSet(held) };
  }
  return p;
}

const addProd = (subject: PlanSubjectRef) => action('add', { deployment: PROD, subject });
const only = (receipt: Receipt) => receipt.subjects[0]!;
const posts = (fake: FakeAstro) => fake.calls.filter((c) => c.startsWith('POST')).length;

describe('a user’s or team’s roles write', () => {
  it('sends organization, workspace and DAG roles as read, changes only the owned deployment, confirms with a GET', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    const receipt = await applyPlan(planOf(fake, [addProd(userRef)]), fake);
    expect(only(receipt)).toMatchObject({ subject: userRef, status: 'applied' });
    expect(fake.calls).toEqual([`GET ${USER_ID}`, `POST ${USER_ID}`, `GET ${USER_ID}`]);
    const held = fake.users.get(USER_ID)!;
    expect(held.organizationRole).toBe('ORGANIZATION_MEMBER');
    expect(held.dagRoles).toEqual(SET.dagRoles);
    expect(held.deploymentRoles).toEqual([...SET.deploymentRoles, { deploymentId: PROD.id, role: 'DEPLOYMENT_ADMIN' }]);
    // The server's own entry on W1 (no workspace role there before) is neither drift nor a failure.
    expect(held.workspaceRoles).toEqual([...SET.workspaceRoles, ACCESSOR]);
    expect(only(receipt).after).toEqual({ ...SET, deploymentRoles: held.deploymentRoles });
    expect(only(receipt).before).toEqual(SET);
  });

  it('a team is read and written through the team endpoints; an update and a removal in one POST', async () => {
    const fake = api();
    fake.teams.set(TEAM_ID, team({ deploymentRoles: [{ deploymentId: PROD.id, role: 'DAG_VIEWER' }, ...SET.deploymentRoles], workspaceRoles: [...SET.workspaceRoles, ACCESSOR] }));
    const p = planOf(fake, [
      action('update', { deployment: PROD, subject: teamRef }),
      action('remove', { deployment: { ...PROD, id: OTHER_DEP, workspaceId: W2 }, subject: teamRef }),
    ]);
    const lines: string[] = [];
    const receipt = await applyPlan(p, fake, { onProgress: (l) => lines.push(l) });
    expect(only(receipt).status).toBe('applied');
    expect(posts(fake)).toBe(1);
    expect(fake.teams.get(TEAM_ID)!.deploymentRoles).toEqual([{ deploymentId: PROD.id, role: 'DEPLOYMENT_ADMIN' }]);
    // DAG roles and the accessor entry are sent back as read, whatever the plan removes.
    expect(fake.teams.get(TEAM_ID)!.dagRoles).toEqual(SET.dagRoles);
    expect(fake.teams.get(TEAM_ID)!.workspaceRoles).toEqual([...SET.workspaceRoles, ACCESSOR]);
    expect(lines).toEqual([`[1/1] applied team data-eng (${TEAM_ID})`]);
  });

  it('a Workspace Accessor the plan did not cause is a mismatch, not tolerated', async () => {
    const fake = api();
    // An existing deployment role on a workspace without a workspace role: the server adds an accessor there too.
    fake.users.set(USER_ID, user({ deploymentRoles: [{ deploymentId: ORPHAN_DEP, role: 'DEPLOYMENT_ADMIN' }] }));
    const r = only(await applyPlan(planOf(fake, [addProd(userRef)]), fake));
    expect(r.status).toBe('failed');
    expect(r.error).toBe(`written, but the result does not match: workspace ${W3}: WORKSPACE_ACCESSOR held, not sent`);
  });

  it('tolerates exactly one accessor entry on the workspace the plan gave a role in, and nothing else', () => {
    const sent = structuredClone(SET);
    const actions = [addProd(userRef)];
    expect(differences({ ...sent, workspaceRoles: [...sent.workspaceRoles, ACCESSOR] }, sent, actions)).toEqual([]);
    expect(differences({ ...sent, workspaceRoles: [...sent.workspaceRoles, { workspaceId: W1, role: 'WORKSPACE_MEMBER' }] }, sent, actions)).toHaveLength(1);
    expect(differences({ ...sent, workspaceRoles: [...sent.workspaceRoles, ACCESSOR, ACCESSOR] }, sent, actions)).toHaveLength(1);
    expect(differences({ ...sent, workspaceRoles: [...sent.workspaceRoles, ACCESSOR] }, sent, [action('remove', { deployment: PROD, subject: userRef })])).toHaveLength(1);
    expect(differences({ ...sent, dagRoles: [] }, sent, actions)).toEqual([`DAG etl on deployment ${OTHER_DEP}: sent DAG_VIEWER, missing now`]);
    expect(differences({ ...sent, organizationRole: null }, sent, actions)).toEqual(['organization role: sent ORGANIZATION_MEMBER, the API reports none']);
  });
});

describe('refusals', () => {
  it('a user whose organizationRole reads as null is not written, with the reason', async () => {
    const fake = api();
    fake.users.set(USER_ID, user({ organizationRole: null }));
    const r = only(await applyPlan(planOf(fake, [addProd(userRef)]), fake));
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/organizationRole reads as null and the roles write requires one; nothing written/);
    expect(posts(fake)).toBe(0);
  });

  it('a user changed since the plan is a conflict: nothing written', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    const p = planOf(fake, [addProd(userRef)]);
    fake.users.get(USER_ID)!.dagRoles.push({ deploymentId: OTHER_DEP, role: 'DAG_AUTHOR', dagTag: 'finance' });
    const r = only(await applyPlan(p, fake));
    expect(r).toMatchObject({ status: 'conflict', error: expect.stringMatching(/changed since the plan was made/) });
    expect(posts(fake)).toBe(0);
  });

  it('a team already holding the planned role (and the server’s accessor) is already applied', async () => {
    const fake = api();
    fake.teams.set(TEAM_ID, team());
    const p = planOf(fake, [addProd(teamRef)]);
    const t = fake.teams.get(TEAM_ID)!;
    t.deploymentRoles.push({ deploymentId: PROD.id, role: 'DEPLOYMENT_ADMIN' });
    t.workspaceRoles.push(ACCESSOR);
    expect(only(await applyPlan(p, fake)).status).toBe('already-applied');
    expect(posts(fake)).toBe(0);
  });

  it('no fingerprint for the user in the plan: nothing written', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    const p = planOf(fake, [addProd(userRef)]);
    p.users = {};
    expect(only(await applyPlan(p, fake))).toMatchObject({ status: 'conflict', error: expect.stringMatching(/no fingerprint for this user/) });
  });
});

describe('retries', () => {
  it('landed with the server’s accessor added: the re-read shows it, no second POST', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    fake.fates = ['lost'];
    const r = only(await applyPlan(planOf(fake, [addProd(userRef)]), fake));
    expect(r.status).toBe('applied');
    // The re-read that shows the write landed (exactly, but for the accessor) is its confirmation.
    expect(fake.calls).toEqual([`GET ${USER_ID}`, `POST ${USER_ID}`, `GET ${USER_ID}`]);
    expect(fake.users.get(USER_ID)!.workspaceRoles).toEqual([...SET.workspaceRoles, ACCESSOR]);
  });

  it('not landed and as planned: retried with a body from the fresh read', async () => {
    const fake = api();
    fake.teams.set(TEAM_ID, team());
    fake.fates = ['transient'];
    fake.beforeAttempt = (id, attempt) => {
      if (attempt === 1) fake.teams.get(id)!.workspaceRoles.reverse(); // same set, another order
    };
    const r = only(await applyPlan(planOf(fake, [addProd(teamRef)]), fake));
    expect(r.status).toBe('applied');
    expect(posts(fake)).toBe(2);
  });

  it('someone else wrote while the write waited for its retry: a conflict, their roles kept', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    fake.fates = ['transient'];
    const foreign = { deploymentId: OTHER_DEP, role: 'DAG_AUTHOR', dagTag: 'finance' };
    fake.beforeAttempt = (id, attempt) => {
      if (attempt === 1) fake.users.get(id)!.dagRoles.push(foreign);
    };
    const r = only(await applyPlan(planOf(fake, [addProd(userRef)]), fake));
    expect(r).toMatchObject({ status: 'conflict', after: null });
    expect(posts(fake)).toBe(1);
    expect(fake.users.get(USER_ID)!.dagRoles).toContainEqual(foreign);
  });

  it('every attempt failed: failed, and the receipt says the user is as planned', async () => {
    const fake = api();
    fake.users.set(USER_ID, user());
    fake.fates = ['transient', 'transient', 'transient'];
    const r = only(await applyPlan(planOf(fake, [addProd(userRef)]), fake));
    expect(r).toMatchObject({ status: 'failed', error: expect.stringMatching(/nothing written \(the user is as planned\)/) });
  });
});

describe('interrupt', () => {
  it('stopped while a team’s write waits for its retry: not retried, interrupted, the team as it was', async () => {
    const fake = api();
    fake.teams.set(TEAM_ID, team());
    const stop = new AbortController();
    fake.fates = ['transient'];
    fake.beforeAttempt = () => stop.abort();
    const r = only(await applyPlan(planOf(fake, [addProd(teamRef)]), fake, { stop: stop.signal }));
    expect(r).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/interrupted before its retry; the team is as it was/) });
    expect(posts(fake)).toBe(1);
    expect(fake.teams.get(TEAM_ID)).toEqual(team());
  });
});

describe('per subject', () => {
  it('a token, a user and a team with the same ID are three subjects, each written once', async () => {
    const id = USER_ID;
    const actions = [addProd(token({ id })), addProd({ ...userRef, id }), addProd({ ...teamRef, id }), action('add', { deployment: { ...PROD, id: OTHER_DEP }, subject: { ...userRef, id } })];
    expect(actionsBySubject(makePlan({ actions })).map((g) => [g[0]!.subject.type, g.length])).toEqual([['token', 1], ['user', 2], ['team', 1]]);
  });

  it('a failed user does not stop a team', async () => {
    const fake = api();
    fake.users.set(USER_ID, user({ organizationRole: null }));
    fake.teams.set(TEAM_ID, team());
    const receipt = await applyPlan(planOf(fake, [addProd(userRef), addProd(teamRef)]), fake, { concurrency: 1 });
    expect(receipt.subjects.map((s) => [s.subject.type, s.status])).toEqual([['user', 'failed'], ['team', 'applied']]);
    expect(receipt.status).toBe('partial');
  });
});
