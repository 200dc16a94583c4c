import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { CLI_BIN, EXAMPLE_MANIFEST, EXAMPLE_STATE, ROOT, TEST_RATE_LIMIT, sentinelToken } from '../support/cli.ts';
import { lostEntries, posts, runMain, snapshotRoles } from './harness.ts';
import { convergedRoles, exampleDesired, planWith, scenario } from './scenario.ts';

// The process killed (SIGKILL) in the middle of an apply, then run again: every token's role list is
// always either fully old or fully new (one POST per token carries the whole list), and the rerun converges.

/** Waits for `cond`; fails with `what` after `ms` (rather than hanging to the test timeout), or at once if `gone` resolves first. */
const until = (cond: () => boolean, what: string, gone?: Promise<unknown>, ms = 30_000): Promise<void> =>
  new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    let over = false;
    void gone?.then((how) => {
      over = true;
      reject(new Error(`${what}: the CLI process exited first (${String(how)})`));
    });
    const poll = (): void => {
      if (over) return;
      if (cond()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`${what}: not within ${ms} ms`));
      setTimeout(poll, 2);
    };
    poll();
  });

it('an apply killed after its first write converges when run again, never half-written', async () => {
  const converged = await convergedRoles();
  const owned = await (async () => {
    const s = await scenario();
    try {
      const { plan } = await planWith(s.client, exampleDesired());
      return new Set(plan.actions.map((a) => `${a.subject.id}|${a.deployment.id}`));
    } finally {
      await s.close();
    }
  })();

  const emulator = await startEmulator({ state: EXAMPLE_STATE });
  let stop = (): void => undefined;
  try {
    const before = snapshotRoles(emulator);
    const env = { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() };
    // Slow writes leave time to kill the process between them.
    emulator.fault({ kind: 'delay', ms: 400, times: 1000, method: 'POST' });
    const child = spawn(process.execPath, [CLI_BIN, 'apply', '--auto-approve', '--parallelism', '1', '-f', EXAMPLE_MANIFEST], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NO_COLOR: '1', ASTRO_ACCESS_RATE_LIMIT: TEST_RATE_LIMIT, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    stop = () => child.kill('SIGKILL');
    await until(() => posts(emulator).some((e) => e.status !== 0), 'the first write answered', exited);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // A POST already sent when the process died may still land: wait until the emulator has answered all.
    await until(() => posts(emulator).every((e) => e.status !== 0), 'every write sent answered');
    emulator.clearFaults();

    // Only tokens the apply changes tell old from new; among them some were written, some not yet.
    const mid = snapshotRoles(emulator);
    const changing = [...converged.keys()].filter((id) => JSON.stringify(converged.get(id)) !== JSON.stringify(before.get(id)));
    const same = (a: string[] | undefined, b: string[] | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
    for (const [id, roles] of mid) {
      expect(same(roles, before.get(id)) || same(roles, converged.get(id)), `token ${id} is neither fully old nor fully new`).toBe(true);
    }
    expect(changing.filter((id) => same(mid.get(id), converged.get(id))).length).toBeGreaterThan(0);
    expect(changing.filter((id) => same(mid.get(id), before.get(id))).length).toBeGreaterThan(0);

    const rerun = await runMain(['apply', '--auto-approve', '-f', EXAMPLE_MANIFEST], env);
    expect(rerun.code).toBe(0);
    expect(snapshotRoles(emulator)).toEqual(converged);
    expect(lostEntries(before, snapshotRoles(emulator), owned)).toEqual([]);
    expect((await runMain(['plan', '--detailed-exitcode', '-f', EXAMPLE_MANIFEST], env)).code).toBe(0);
  } finally {
    stop();
    await emulator.close();
  }
}, 75_000);
