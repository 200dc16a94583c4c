import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, runCli } from '../support/cli.ts';
import { closeCheckingSecrets, fixturePayload, startWorld, type World } from '../fixtures/github/action-harness.ts';

// The Action on schedule / workflow_dispatch: one drift issue, opened, updated, closed. Runs in process,
// except the first schedule and the workflow_dispatch run, which run the committed bundle.

let world: World | undefined;
afterEach(async () => {
  await closeCheckingSecrets(world);
  world = undefined;
});

describe('action drift check', () => {
  it('opens the drift issue, updates it when the drift changes, leaves it when not, and closes it once clean', async () => {
    world = await startWorld();
    const opened = await world.run('schedule', fixturePayload('schedule'), { bundle: true });
    expect(opened.code, opened.stdout).toBe(0);
    expect(world.github.state.issues).toHaveLength(1);
    const issue = world.github.state.issues[0]!;
    expect(issue.labels.map((l) => l.name)).toEqual(['astro-access-drift']);
    expect(issue.body).toContain('<!-- astro-access:drift v1 -->');
    expect(issue.body).toContain('legacy-bot');
    expect(opened.stdout).toMatch(/^::warning::Drift: 9 action/m);

    const quiet = world.github.writes().length;
    const same = await world.run('workflow_dispatch', fixturePayload('workflow_dispatch'), { bundle: true });
    expect(same.code, same.stdout).toBe(0);
    expect(world.github.writes()).toHaveLength(quiet);

    world.emulator.mutate((s) => {
      const t = s.tokens.find((x) => x.name === 'legacy-bot')!;
      t.roles = (t.roles ?? []).filter((r) => r.entityId !== 'clvduhrvd000008l842ohcpvb');
    });
    const updated = await world.run('schedule', fixturePayload('schedule'));
    expect(updated.code, updated.stdout).toBe(0);
    expect(world.github.writes().slice(quiet).map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/acme/astro-config/issues/${issue.number}`,
    ]);
    expect(world.github.state.issues).toHaveLength(1);
    // legacy-bot on sandbox, and the team's ended grant on staging.
    expect(updated.outputs['remove']).toBe('2');

    // Someone applies the manifest with the CLI; the next check closes the issue.
    const apply = await runCli(['apply', '-f', EXAMPLE_MANIFEST, '--auto-approve'], {
      env: { ASTRO_API_URL: world.emulator.url, ASTRO_API_TOKEN: world.astroToken },
    });
    expect(apply.code, apply.stderr).toBe(0);
    const closed = await world.run('schedule', fixturePayload('schedule'));
    expect(closed.code, closed.stdout).toBe(0);
    expect(closed.outputs['has-changes']).toBe('false');
    expect(world.github.state.issues[0]?.state).toBe('closed');
    expect(world.github.state.comments.get(issue.number)?.[0]?.body).toContain('match the manifest again');
  });
});
