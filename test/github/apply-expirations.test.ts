import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionContext, ActionIo } from '../../src/github/action-context.ts';
import { applyExpirations } from '../../src/github/apply-expirations.ts';
import type { GitHubEvent } from '../../src/github/event.ts';
import { readInputs } from '../../src/github/inputs.ts';
import { loadAndPlan, type PlannedRun } from '../../src/github/plan-step.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import type { PlanAction } from '../../src/plan/types.ts';
import { EXAMPLE_STATE, sentinelToken, tempDir } from '../support/cli.ts';

// apply-expirations on a plan made by the real planner against the emulator. The planner marks a
// removal as an expiry removal by giving it `expires` and listing the grant as expired (CONTRACT16
// Addendum); these tests take a plan whose removal is of an undeclared binding and mark it so
// themselves, so what is tested is this step alone: which plans it applies, and that it writes nothing
// otherwise. (test/github/action-expiry.test.ts runs the whole path with the planner's own expiry.)

const STAGING = 'cyy9o2uhv61h2o0tp58mnoy2b';
const CI_DEPLOYER = 'clz9k2w1q000108mh3tq4a7vd';
const SCHEDULE: GitHubEvent = { kind: 'schedule' };

/** staging managed, ci-deployer's DAG_VIEWER there undeclared (the removal), and optionally an add on prod. */
function manifest(withAdd: boolean): string {
  return [
    'version: 1',
    'organizationId: clx42kkcm01fo01o06agtmshg',
    'workspaces:',
    '  - workspace: Data Platform',
    '    deployments:',
    '      - deployment: staging',
    '        workspaceTokens: []',
    ...(withAdd
      ? ['      - deployment: prod', '        prune: false', '        workspaceTokens:', '          - token: dag-reader', '            role: DAG_VIEWER']
      : []),
    '',
  ].join('\n');
}

interface Recorded {
  lines: string[];
  summary: string[];
  failed: string[];
}

let emulator: Emulator | undefined;
let run: PlannedRun | null = null;
afterEach(async () => {
  await run?.conn.close();
  run = null;
  await emulator?.close();
  emulator = undefined;
});

async function planned(opts: { withAdd?: boolean; inputs?: Record<string, string> } = {}): Promise<{ ctx: ActionContext; rec: Recorded; run: PlannedRun; em: Emulator }> {
  const token = sentinelToken();
  const em = await startEmulator({ state: EXAMPLE_STATE, token });
  emulator = em;
  const workspace = join(tempDir(), 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'astro-access.yaml'), manifest(opts.withAdd ?? false));
  const rec: Recorded = { lines: [], summary: [], failed: [] };
  const io: ActionIo = {
    info: (m) => rec.lines.push(m),
    warning: (m) => rec.lines.push(`warning: ${m}`),
    notice: (m) => rec.lines.push(`notice: ${m}`),
    annotate: (a) => rec.lines.push(`error: ${a.message}`),
    setOutput: () => undefined,
    summary: async (md) => {
      rec.summary.push(md);
    },
    fail: (m) => rec.failed.push(m),
    workspace,
    env: { ASTRO_ACCESS_RATE_LIMIT: 'get=1000,post=1000' },
  };
  const inputs = readInputs((name) => ({ 'astro-api-token': token, 'astro-api-url': em.url, ...opts.inputs })[name] ?? '');
  const ctx: ActionContext = {
    io,
    inputs,
    owner: 'acme',
    repo: 'astro-config',
    octokit: null,
    runUrl: undefined,
    commitUrl: () => undefined,
    viewer: () => Promise.reject(new Error('no github-token')),
  };
  const r = await loadAndPlan(ctx, 'for the test');
  if (r === null) throw new Error(`no plan: ${rec.failed.join('; ')} ${rec.lines.join('\n')}`);
  run = r;
  // What the planner does for an expired declaration: the removal carries the `expires` as written, and
  // the grant is listed among the expirations as expired.
  for (const a of r.plan.actions) {
    if (a.action !== 'remove') continue;
    a.expires = '2026-01-01';
    r.plan.expirations.push({
      deployment: a.deployment, subject: a.subject, role: a.before ?? '', expires: '2026-01-01',
      endsAt: '2026-01-02T00:00:00.000Z', expired: true, source: 'astro-access.yaml:7',
    });
  }
  em.log.length = 0;
  return { ctx, rec, run: r, em };
}

const posts = (em: Emulator) => em.log.filter((e) => e.method === 'POST');
const stagingRole = (em: Emulator) =>
  em.state().tokens.find((t) => t.id === CI_DEPLOYER)?.roles?.find((r) => r.entityType === 'DEPLOYMENT' && r.entityId === STAGING)?.role;

describe('applyExpirations', () => {
  it('applies a plan made only of expiry removals, and says what it removed', async () => {
    const { ctx, rec, run: r, em } = await planned({ inputs: { 'apply-expirations': 'true' } });
    expect(r.plan.actions.map((a: PlanAction) => [a.action, a.subject.id, a.deployment.id])).toEqual([['remove', CI_DEPLOYER, STAGING]]);
    expect(stagingRole(em)).toBe('DAG_VIEWER');

    const outcome = await applyExpirations(ctx, r.plan, r.conn, SCHEDULE);
    expect(outcome).toEqual({ kind: 'applied', removed: r.plan.actions });
    expect(rec.failed).toEqual([]);
    expect(posts(em).map((e) => e.path)).toEqual([`/v1/organizations/clx42kkcm01fo01o06agtmshg/tokens/${CI_DEPLOYER}/roles`]);
    expect(stagingRole(em)).toBeUndefined();
    expect(rec.lines.some((l) => /^notice: apply-expirations: removing 1 expired grant/.test(l))).toBe(true);
    expect(rec.summary.join('\n')).toMatch(/#### Apply/);
  });

  it('applies nothing when the plan also has an add: the add blocks it', async () => {
    const { ctx, rec, run: r, em } = await planned({ withAdd: true, inputs: { 'apply-expirations': 'true' } });
    expect(r.plan.actions.map((a) => a.action).sort()).toEqual(['add', 'remove']);
    const outcome = await applyExpirations(ctx, r.plan, r.conn, SCHEDULE);
    expect(outcome.kind).toBe('blocked');
    expect(outcome.kind === 'blocked' && outcome.blocking.map((a) => [a.action, a.subject.name])).toEqual([['add', 'dag-reader']]);
    expect(posts(em)).toEqual([]);
    expect(stagingRole(em)).toBe('DAG_VIEWER');
    expect(rec.lines.some((l) => /^warning: apply-expirations: nothing was applied: the plan has 1 action besides 1 expiry removal/.test(l))).toBe(true);
    expect(rec.failed).toEqual([]);
  });

  it('applies nothing when a removal has no expires, or its grant is not listed as expired: only expiry removals may go unreviewed', async () => {
    const { ctx, run: r, em } = await planned({ inputs: { 'apply-expirations': 'true' } });
    const noExpires = { ...r.plan, actions: r.plan.actions.map(({ expires: _, ...a }) => a) };
    expect(await applyExpirations(ctx, noExpires, r.conn, SCHEDULE)).toEqual({ kind: 'blocked', blocking: noExpires.actions });
    const notListed = { ...r.plan, expirations: r.plan.expirations.map((e) => ({ ...e, expired: false })) };
    expect(await applyExpirations(ctx, notListed, r.conn, SCHEDULE)).toEqual({ kind: 'blocked', blocking: notListed.actions });
    expect(posts(em)).toEqual([]);
  });

  it('is off by default', async () => {
    const { ctx, rec, run: r, em } = await planned();
    expect(ctx.inputs.applyExpirations).toBe(false);
    expect(await applyExpirations(ctx, r.plan, r.conn, SCHEDULE)).toEqual({ kind: 'off' });
    expect(posts(em)).toEqual([]);
    expect(rec.summary).toEqual([]);
  });

  it('keeps the guards, and allow-unsafe does not override them here', async () => {
    const { ctx, rec, run: r, em } = await planned({ inputs: { 'apply-expirations': 'true', 'max-removals': '0', 'allow-unsafe': 'true' } });
    const outcome = await applyExpirations(ctx, r.plan, r.conn, SCHEDULE);
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' && outcome.violations.join('\n')).toMatch(/more than the limit of 0/);
    expect(posts(em)).toEqual([]);
    expect(rec.failed.join('\n')).toMatch(/Refused by safety guards \(nothing was written\)/);
  });

  it('applies on the default branch only when run by hand, and never on other events', async () => {
    const { ctx, run: r, em } = await planned({ inputs: { 'apply-expirations': 'true' } });
    const branch = await applyExpirations(ctx, r.plan, r.conn, { kind: 'workflow_dispatch', ref: 'refs/heads/expire-all', isDefaultBranch: false });
    expect(branch).toEqual({ kind: 'not-here', why: 'a run by hand applies the default branch only, not refs/heads/expire-all' });
    const push = await applyExpirations(ctx, r.plan, r.conn, { kind: 'push', sha: 'a'.repeat(40), ref: 'refs/heads/main', isDefaultBranch: true });
    expect(push.kind).toBe('not-here');
    expect(posts(em)).toEqual([]);
    const byHand = await applyExpirations(ctx, r.plan, r.conn, { kind: 'workflow_dispatch', ref: 'refs/heads/main', isDefaultBranch: true });
    expect(byHand.kind).toBe('applied');
    expect(posts(em)).toHaveLength(1);
  });
});
