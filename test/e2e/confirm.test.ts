import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.ts';
import { ROOT, TEST_RATE_LIMIT, exampleEmulator } from '../support/cli.ts';

// apply without --auto-approve on a terminal: `script` gives the CLI a pseudo-terminal, and what the
// test writes to script's input is what a person types at the prompt.

let running: Emulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function applyOnTerminal(env: NodeJS.ProcessEnv, typed: string): Promise<{ code: number; output: string }> {
  const cli = `'${process.execPath}' '${join(ROOT, 'bin/astro-access.js')}' apply -f examples/small.yaml`;
  return new Promise((done) => {
    const child = execFile('script', ['-qec', cli, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ASTRO_ACCESS_RATE_LIMIT: TEST_RATE_LIMIT, ...env } }, (err, out) =>
      done({ code: err ? Number(err.code ?? 1) : 0, output: out }),
    );
    child.stdin?.end(typed);
  });
}

describe('apply asks before writing', () => {
  it('applies after "yes" is typed at the prompt', async () => {
    const { emulator, env } = await exampleEmulator();
    running = emulator;
    const r = await applyOnTerminal(env, 'yes\n');
    expect(r.output).toContain('Only "yes" will be accepted');
    expect(r.code).toBe(0);
    expect(r.output).toContain('Apply complete: 1 of 1 tokens updated.');
    expect(emulator.log.filter((e) => e.method === 'POST')).toHaveLength(1);
  });

  it('writes nothing when anything but "yes" is typed', async () => {
    const { emulator, env } = await exampleEmulator();
    running = emulator;
    const r = await applyOnTerminal(env, 'y\n');
    expect(r.code).toBe(1);
    expect(r.output).toContain('Apply cancelled.');
    expect(emulator.log.filter((e) => e.method === 'POST')).toHaveLength(0);
  });
});
