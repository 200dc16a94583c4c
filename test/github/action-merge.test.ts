import { afterEach, describe, expect, it } from 'vitest';
import { closeCheckingSecrets, fixturePayload, MERGE_SHA, prPayload, pull42, startWorld, type World } from '../fixtures/github/action-harness.ts';

// The Action on a push to the default branch: apply only the plan the pull request showed. In process,
// except the first test, which runs the committed bundle for both events.

let world: World | undefined;
afterEach(async () => {
  await closeCheckingSecrets(world);
  world = undefined;
});

const RUN_URL = 'https://github.com/acme/astro-config/actions/runs/777001';
const roleWrites = (w: World) => w.emulator.log.filter((e) => e.method === 'POST');
const rolesOf = (w: World, name: string) => w.emulator.state().tokens.find((t) => t.name === name)?.roles ?? [];

function merged(w: World): void {
  w.github.state.commitPulls.set(MERGE_SHA, [
    pull42({ state: 'closed', merged_at: '2026-01-02T00:00:00Z', merge_commit_sha: MERGE_SHA }),
  ]);
}

describe('action on push to the default branch', () => {
  it('applies when the checksum matches the merged pull request comment, and marks the comment applied', async () => {
    world = await startWorld({ bundle: true });
    const pr = await world.run('pull_request', prPayload());
    expect(pr.code, pr.stdout).toBe(0);
    merged(world);

    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code, push.stdout).toBe(0);
    expect(push.outputs['checksum']).toBe(pr.outputs['checksum']);
    expect(roleWrites(world).length).toBeGreaterThan(0);
    expect(rolesOf(world, 'dag-reader')).toContainEqual({ entityType: 'DEPLOYMENT', entityId: 'clvduhrvd000008l842ohcpvb', role: 'DAG_VIEWER' });
    const body = world.github.state.comments.get(42)?.[0]?.body ?? '';
    expect(body).toContain(`**✅ Applied** · [workflow run](${RUN_URL})`);
    expect(body).toContain(`Checksum: \`${pr.outputs['checksum']}\``);
    expect(push.summary).toContain('Apply complete');

    // Applied means the live state now matches: a re-run has nothing to do, succeeds, and leaves the
    // comment as it was (no plan-changed refusal over an empty plan).
    const again = await world.run('push', fixturePayload('push-main'));
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs['has-changes']).toBe('false');
    expect(again.stdout).toContain('nothing to apply');
    expect(world.github.state.comments.get(42)?.map((c) => c.body)).toEqual([body]);
  });

  it('refuses with plan-changed when the live state moved since review, and says what the plan is now', async () => {
    world = await startWorld();
    const pr = await world.run('pull_request', prPayload());
    expect(pr.code, pr.stdout).toBe(0);
    merged(world);
    // Someone removes legacy-bot's prod binding by hand: the plan loses that removal.
    world.emulator.mutate((s) => {
      const t = s.tokens.find((x) => x.name === 'legacy-bot')!;
      t.roles = (t.roles ?? []).filter((r) => r.entityId !== 'clvduhrvd000008l842ohcpvb');
    });
    world.emulator.log.length = 0;

    const push = await world.run('push', fixturePayload('push-main'));
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/^::error::plan-changed: the plan changed since pull request #42 was reviewed/m);
    expect(push.outputs['checksum']).not.toBe(pr.outputs['checksum']);
    expect(roleWrites(world)).toHaveLength(0);
    const comments = world.github.state.comments.get(42) ?? [];
    expect(comments[0]?.body).toContain('**⚠️ Plan changed since this comment**');
    expect(comments).toHaveLength(2);
    expect(comments[1]?.body).toContain('did not apply this merge');
    expect(comments[1]?.body).toContain(String(push.outputs['checksum']));
  });

  it('refuses a direct push with no pull request unless allow-direct-push is set', async () => {
    world = await startWorld();
    const refused = await world.run('push', fixturePayload('push-main'));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^::error::5d41402 was pushed without a pull request/m);
    expect(roleWrites(world)).toHaveLength(0);

    const allowed = await world.run('push', fixturePayload('push-main'), { inputs: { 'allow-direct-push': 'true' } });
    expect(allowed.code, allowed.stdout).toBe(0);
    expect(roleWrites(world).length).toBeGreaterThan(0);
  });

  it('without a github-token, applies nothing and says the reviewed plan cannot be found', async () => {
    world = await startWorld();
    merged(world);
    const push = await world.run('push', fixturePayload('push-main'), { inputs: { 'github-token': '' } });
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/^::error::No github-token, so the merged pull request and the plan it reviewed cannot be found/m);
    expect(roleWrites(world)).toHaveLength(0);
  });

  it('refuses by safety guard before any write', async () => {
    world = await startWorld();
    merged(world);
    await world.run('pull_request', prPayload());
    const push = await world.run('push', fixturePayload('push-main'), { inputs: { 'max-removals': '1' } });
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/Refused by safety guards/);
    expect(roleWrites(world)).toHaveLength(0);
    expect(world.github.state.comments.get(42)?.[0]?.body).toContain('**❌ Apply failed**');
  });

  it('plans without applying on a push to another branch', async () => {
    world = await startWorld();
    const push = await world.run('push', fixturePayload('push-branch'));
    expect(push.code, push.stdout).toBe(0);
    expect(push.outputs['has-changes']).toBe('true');
    expect(roleWrites(world)).toHaveLength(0);
  });
});
