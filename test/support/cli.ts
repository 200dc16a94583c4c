import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLE_STATE = join(ROOT, 'examples/emulator-state.json');
export const EXAMPLE_MANIFEST = join(ROOT, 'examples/astro-access.yaml');

/** A sentinel API token: an unsigned JWT naming the example's apply token. Tests search output for it. */
export function sentinelToken(apiTokenId = 'c2p8v6d4r0t9w1x3z5b7n9m4k'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ apiTokenId, sentinel: 'SENTINEL-9f3a' })}.c2lnbmF0dXJl`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI as a child process (async: the emulator lives in this process and must keep serving). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'bin/astro-access.js'), ...args],
      { cwd: opts.cwd ?? ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'astro-access-test-'));
}

export function exampleState(): unknown {
  return JSON.parse(readFileSync(EXAMPLE_STATE, 'utf8')) as unknown;
}

/** An emulator on the example organization and the env that points the CLI at it. */
export async function exampleEmulator(opts: Partial<EmulatorOptions> = {}): Promise<{ emulator: Emulator; env: NodeJS.ProcessEnv }> {
  const emulator = await startEmulator({ state: EXAMPLE_STATE, ...opts });
  return { emulator, env: { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: sentinelToken() } };
}
