import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.ts';
import type { AstroClient } from '../../src/astro/client.ts';
import { fingerprintRoleSet } from '../../src/plan/fingerprint.ts';
import type { Plan, PlanAction, PlanSubjectRef } from '../../src/plan/types.ts';
import { action, deployment, plan as makePlan } from '../render/builders.ts';
import type { Receipt } from '../../src/apply/receipt.ts';
import { sentinelToken, tempDir } from '../support/cli.ts';
import { posts, runMain } from './harness.ts';
import { ORG, scenario, type Scenario } from './scenario.ts';

// Users and teams written through the real client against the emulator of the example organization:
// the server's Workspace Accessor side effect, a user without an organization role, a conflict, retries.
// The plans are made by hand here (actions and fingerprints as read), so these test the executor alone.

const DATA_PLATFORM = 'clvdwt4z3000008l60ofb6347';
const ANALYTICS = 'co3lwbmun7dq80azqfst40505';
const STAGING = deployment({ id: 'cyy9o2uhv61h2o0tp58mnoy2b', name: 'staging', workspaceId: DATA_PLATFORM });
const ML = deployment({ id: 'cx4blbovjzpp5o902vhx932l2', name: 'ml', workspaceId: ANALYTICS, workspaceName: 'Analytics' });
const JANE: PlanSubjectRef = { type: 'user', id: 'cnuuiqes0qgfe0ijl9j1eg191', name: 'jane.doe@example.com' };
const SAM: PlanSubjectRef = { type: 'user', id: 'cjjktt4au0sv0u7t5v19epn2y', name: 'sam.lee@example.com' };
const DATA_ENG: PlanSubjectRef = { type: 'team', id: 'c2pkuw4ek65y7f0p273p9gfb0', name: 'Data Engineering' };

/** A plan of these actions with each user's and team's fingerprint as the client reads it now. */
async function planOf(client: AstroClient, actions: PlanAction[]): Promise<Plan> {
  const p = makePlan({ actions });
  p.tokens = {};
  for (const a of actions) {
    const set = a.subject.type === 'user' ? (await client.getUser(a.subject.id)).user : (await client.getTeam(a.subject.id)).team;
    (a.subject.type === 'user' ? p.users : p.teams)[a.subject.id] = { fingerprint: fingerprintRoleSet(set) };
  }
  return p;
}

const rolesPosts = (s: Scenario, id: string) => posts(s.emulator).filter((e) => e.path.endsWith(`/${id}/roles`));
const team = (s: Scenario) => s.emulator.state().teams!.find((t) => t.id === DATA_ENG.id)!;
const user = (s: Scenario, id: string) => s.emulator.state().users!.find((u) => u.id === id)!;

describe('users and teams against the emulator', () => {
  it('one POST per subject: the set sent back as read but for the owned deployments; the server’s Workspace Accessor is no failure', async () => {
    const s = await scenario();
    try {
      const before = structuredClone(team(s));
      const actions = [
        action('add', { deployment: ML, subject: DATA_ENG }),
        action('remove', { deployment: STAGING, subject: DATA_ENG }),
        action('add', { deployment: STAGING, subject: JANE }),
      ];
      const receipt = await applyPlan(await planOf(s.client, actions), s.client);
      expect(receipt.subjects.map((r) => [r.subject.type, r.status, r.error])).toEqual([['team', 'applied', undefined], ['user', 'applied', undefined]]);
      const after = team(s);
      // The team had no role on Analytics: the server added its accessor entry; the rest is as read.
      expect(after.workspaceRoles).toEqual([...before.workspaceRoles!, { workspaceId: ANALYTICS, role: 'WORKSPACE_ACCESSOR' }]);
      expect(after.deploymentRoles).toEqual([{ deploymentId: before.deploymentRoles![1]!.deploymentId, role: 'DAG_VIEWER' }, { deploymentId: ML.id, role: 'DEPLOYMENT_ADMIN' }]);
      expect(after.organizationRole).toBe(before.organizationRole);
      expect(user(s, JANE.id).dagRoles).toEqual([{ deploymentId: 'clvduhrvd000008l842ohcpvb', dagId: 'daily_etl', role: 'DAG_VIEWER' }]);
      expect(rolesPosts(s, DATA_ENG.id)).toHaveLength(1);
      expect(rolesPosts(s, JANE.id)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('the same plan applied twice: the accessor entry is no conflict, the second run finds it already applied and writes nothing', async () => {
    const s = await scenario();
    try {
      const p = await planOf(s.client, [action('add', { deployment: ML, subject: DATA_ENG })]);
      expect((await applyPlan(p, s.client)).status).toBe('applied');
      const second = await applyPlan(p, s.client);
      expect(second.subjects[0]!.status).toBe('already-applied');
      expect(rolesPosts(s, DATA_ENG.id)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('a user without an organization role is reported and not written; the team beside it is', async () => {
    const s = await scenario();
    try {
      // A pending user the API serves with organizationRole null.
      s.emulator.mutate((st) => {
        st.users!.find((u) => u.id === SAM.id)!.organizationRole = null;
      });
      const p = await planOf(s.client, [action('add', { deployment: STAGING, subject: SAM }), action('add', { deployment: ML, subject: DATA_ENG })]);
      const receipt = await applyPlan(p, s.client);
      const sam = receipt.subjects.find((r) => r.subject.id === SAM.id)!;
      expect(sam.status).toBe('failed');
      expect(sam.error).toMatch(/organizationRole reads as null and the roles write requires one; nothing written/);
      expect(rolesPosts(s, SAM.id)).toEqual([]);
      expect(receipt.subjects.find((r) => r.subject.id === DATA_ENG.id)!.status).toBe('applied');
    } finally {
      await s.close();
    }
  });

  it('a user changed since the plan is a conflict: nothing written, the other change kept', async () => {
    const s = await scenario();
    try {
      const p = await planOf(s.client, [action('add', { deployment: STAGING, subject: JANE })]);
      s.emulator.mutate((st) => {
        st.users!.find((u) => u.id === JANE.id)!.deploymentRoles!.push({ deploymentId: ML.id, role: 'DEPLOYMENT_ADMIN' });
      });
      const r = (await applyPlan(p, s.client)).subjects[0]!;
      expect(r.status).toBe('conflict');
      expect(rolesPosts(s, JANE.id)).toEqual([]);
      expect(user(s, JANE.id).deploymentRoles).toContainEqual({ deploymentId: ML.id, role: 'DEPLOYMENT_ADMIN' });
    } finally {
      await s.close();
    }
  });

  it('a 503 to the roles POST: re-read, still as planned, retried once', async () => {
    const s = await scenario();
    try {
      s.emulator.fault({ kind: 'status', status: 503, times: 1, method: 'POST', path: `/teams/${DATA_ENG.id}/roles` });
      const r = (await applyPlan(await planOf(s.client, [action('add', { deployment: ML, subject: DATA_ENG })]), s.client)).subjects[0]!;
      expect(r.status).toBe('applied');
      expect(rolesPosts(s, DATA_ENG.id).map((e) => e.status)).toEqual([503, 200]);
    } finally {
      await s.close();
    }
  });

  it('a POST that landed (accessor added) but whose answer was cut is not sent again', async () => {
    const s = await scenario();
    try {
      s.emulator.fault({ kind: 'reset', when: 'mid-body', times: 1, method: 'POST', path: `/teams/${DATA_ENG.id}/roles` });
      const r = (await applyPlan(await planOf(s.client, [action('add', { deployment: ML, subject: DATA_ENG })]), s.client)).subjects[0]!;
      expect(r.status).toBe('applied');
      expect(rolesPosts(s, DATA_ENG.id)).toHaveLength(1);
      expect(team(s).workspaceRoles).toContainEqual({ workspaceId: ANALYTICS, role: 'WORKSPACE_ACCESSOR' });
    } finally {
      await s.close();
    }
  });

  it('removing a deployment role a user’s DAG role depends on: the server refuses, the DAG role is never dropped to make it pass', async () => {
    const s = await scenario();
    try {
      const prod = deployment({ id: 'clvduhrvd000008l842ohcpvb', name: 'prod', workspaceId: DATA_PLATFORM });
      const before = structuredClone(user(s, JANE.id));
      const r = (await applyPlan(await planOf(s.client, [action('remove', { deployment: prod, subject: JANE })]), s.client)).subjects[0]!;
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/400/);
      expect(user(s, JANE.id)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});

describe('users and teams through the CLI: planned, applied, converged', () => {
  it('one apply converges a manifest of users and teams; the server’s accessor entry is no drift on the next plan', async () => {
    const s = await scenario();
    try {
      const dir = tempDir();
      const file = join(dir, 'astro-access.yaml');
      writeFileSync(file, [
        'version: 1', `organizationId: ${ORG}`, 'workspaces:',
        '  - workspace: Data Platform', '    deployments:',
        '      - deployment: staging', '        users:', '          - user: JANE.DOE@example.com', '            role: DEPLOYMENT_ADMIN',
        '        teams:', '          - team: Data Engineering', '            role: DAG_VIEWER',
        '  - workspace: Analytics', '    deployments:',
        '      - deployment: ml', '        teams:', '          - team: Data Engineering', '            role: DEPLOYMENT_ADMIN', '',
      ].join('\n'));
      const env = { ASTRO_API_URL: s.emulator.url, ASTRO_API_TOKEN: sentinelToken() };
      const receiptFile = join(dir, 'receipt.json');
      const applied = await runMain(['apply', '--auto-approve', '-f', file, '--receipt', receiptFile], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('Apply complete: 2 of 2 subjects updated.');
      expect(applied.stdout).toMatch(new RegExp(`^applied +team +Data Engineering +${DATA_ENG.id}: 2 changes`, 'm'));
      const receipt = JSON.parse(readFileSync(receiptFile, 'utf8')) as Receipt;
      expect(receipt.subjects.map((r) => [r.subject, r.status])).toEqual([[DATA_ENG, 'applied'], [JANE, 'applied']]);
      expect(team(s).workspaceRoles).toContainEqual({ workspaceId: ANALYTICS, role: 'WORKSPACE_ACCESSOR' });
      const again = await runMain(['plan', '--detailed-exitcode', '-f', file], env);
      expect(again.code, again.stdout).toBe(0);
    } finally {
      await s.close();
    }
  });
});

