import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, TEST_RATE_LIMIT } from '../support/cli.ts';

// The README's quick start, as a newcomer runs it: `npm run demo` on the embedded emulator.
describe('npm run demo', () => {
  it('plans, applies, and plans again to no changes', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile('npm', ['run', '--silent', 'demo'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ASTRO_ACCESS_RATE_LIMIT: TEST_RATE_LIMIT } }, (err, out) =>
        done({ code: err ? Number(err.code ?? 1) : 0, stdout: out }),
      );
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Plan: 4 to add, 2 to change, 3 to remove.');
    // Tokens, a team whose grant changes on one deployment and ended on another, a user already in place.
    expect(stdout).toMatch(/~\s+Data Engineering\s.*team\s+DAG_VIEWER → DEPLOYMENT_ADMIN/);
    expect(stdout).toMatch(/-\s+Data Engineering\s.*team\s+DEPLOYMENT_ADMIN → \(none\).*expired on 2026-10-31/);
    expect(stdout).toContain('Apply complete: 7 of 7 subjects updated.');
    expect(stdout).toContain('No changes. The live roles match the manifest.');
    expect(stdout).toContain('7 of them writes');
  }, 150_000); // a chain of processes (npm, tsx, three CLI runs): seconds alone, a minute or more on a loaded machine
});
