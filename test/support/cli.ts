import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import { main } from '../../src/cli.ts';
import type { Io } from '../../src/commands/io.ts';
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

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Working directory; anything but ROOT runs the CLI as a process (the in-process run shares this one's). */
  cwd?: string;
  input?: string;
  /** Run the compiled CLI as its own process instead of in this one. */
  process?: boolean;
  /** In-process runs only: client settings over TEST_CLIENT. */
  client?: Partial<AstroClientConfig>;
}

/**
 * The pacing of in-process runs: still paced (the pacer is on the path), but at rates that cost
 * milliseconds, since the emulator does not limit by default. Pacing itself is tested in test/astro.
 */
export const TEST_CLIENT: Partial<AstroClientConfig> = { rateLimits: { get: 1000, post: 500 } };
/** The same test-only pacing for CLI processes, through ASTRO_ACCESS_RATE_LIMIT (a test's env can override it). */
export const TEST_RATE_LIMIT = 'get=1000,post=500';

/** The compiled CLI the package installs (built by the test setup, test/support/build-cli.setup.ts). */
export const CLI_BIN = join(ROOT, 'bin/astro-access.js');

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/**
 * Runs the CLI's `main(argv, io)` in this process: captured streams (no terminal), the given input on
 * stdin, and only the given environment (plus PATH and NO_COLOR, as the process runs get).
 */
export async function runCliInProcess(args: string[], opts: Omit<CliOptions, 'cwd' | 'process'> = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: Io = {
    stdout,
    stderr,
    stdin: Readable.from(opts.input ? [opts.input] : []),
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...opts.env },
    client: { ...TEST_CLIENT, ...opts.client },
  };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the compiled CLI (bin/astro-access.js) as a child process; async, so an emulator in this process keeps serving. */
export function runCliProcess(args: string[], opts: Omit<CliOptions, 'process' | 'client'> = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd: opts.cwd ?? ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ASTRO_ACCESS_RATE_LIMIT: TEST_RATE_LIMIT, ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/**
 * Runs the CLI: in this process by default (fast; the same `main` the bin runs), as a process of the
 * compiled CLI with `process: true` or a `cwd` other than ROOT.
 */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (opts.process === true || (opts.cwd !== undefined && resolve(opts.cwd) !== ROOT)) return runCliProcess(args, opts);
  return runCliInProcess(args, opts);
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
