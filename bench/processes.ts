import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestSummary } from './request-counts.ts';

// The processes a benchmark run is made of: the emulator (its own process, with a control endpoint) and
// each CLI run (its own process, measured as a whole: wall time, CPU time, peak memory).

export const ROOT = resolve(import.meta.dirname, '..');

export interface EmulatorPhase {
  requests: RequestSummary;
  /** CPU time the emulator process spent in the phase. */
  cpuMs: number;
  /** Time its event loop was busy (not idle) in the phase. */
  busyMs: number;
  wallMs: number;
  rssMb: number;
}

export interface EmulatorProcess {
  api: string;
  /** Empty the request log and start a new phase. */
  mark(): Promise<void>;
  /** The phase since the last mark. */
  phase(): Promise<EmulatorPhase>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(opts: { state: string; latencyMs: number; rateLimits: boolean; postLimit?: number }): Promise<EmulatorProcess> {
  const args = ['--import', 'tsx', join(ROOT, 'bench/emulator-server.ts'), '--state', opts.state, '--latency', String(opts.latencyMs)];
  if (opts.rateLimits) args.push('--rate-limits');
  if (opts.postLimit !== undefined) args.push('--post-limit', String(opts.postLimit));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const first = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`the emulator process exited (${code}) before listening`)));
  });
  const { api, control } = JSON.parse(first) as { api: string; control: string };
  const call = async <T>(method: string, path: string): Promise<T> => {
    const res = await fetch(control + path, { method });
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    api,
    mark: async () => void (await call('POST', '/mark')),
    phase: () => call<EmulatorPhase>('GET', '/phase'),
    close: async () => {
      await call('POST', '/close').catch(() => child.kill('SIGTERM'));
      await exited;
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The whole process, spawn to exit, as the driver saw it. */
  wallMs: number;
  /** CPU time of the whole CLI process (user + system). */
  cpuMs: number;
  /** Peak resident memory of the CLI process. */
  maxRssMb: number;
}

/** Runs `astro-access ARGS` as its own process through bench/cli-probe.js, which reports its resource use. */
export async function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'astro-access-bench-usage-'));
  const usageFile = join(scratch, 'usage.json');
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await spawnCollect(process.execPath, [join(ROOT, 'bench/cli-probe.js'), ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', BENCH_USAGE_FILE: usageFile, ...env },
    });
    const wallMs = performance.now() - started;
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { userMs: number; systemMs: number; maxRssMb: number };
    return { code, stdout, stderr, wallMs, cpuMs: usage.userMs + usage.systemMs, maxRssMb: usage.maxRssMb };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs a TypeScript script in a fresh process and parses the JSON line it prints. */
export async function runScriptJson<T>(script: string, args: string[]): Promise<T> {
  const { code, stdout, stderr } = await spawnCollect(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
  });
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as T;
}

function spawnCollect(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', fail);
    child.once('close', (code) =>
      done({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}
