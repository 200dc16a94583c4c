import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateOrg, sizeOf } from './generate.ts';
import type { DriftShare, OrgSize } from './generate.ts';
import { ROOT, runCli, runScriptJson, startEmulatorProcess } from './processes.ts';
import type { CliRun, EmulatorProcess } from './processes.ts';
import { renderResults } from './report.ts';
import { checkTargets } from './results.ts';
import type { BenchRun, PhaseResult, PlannerCpu, SizeResult } from './results.ts';

// npm run bench [-- --quick] [--sizes 1,10,50] [--drift 0.015] [--latency 30] [--out FILE]
// Full run: writes bench/RESULTS.md. Quick run (CI smoke check): the smallest size at low latency; prints
// the report and exits 1 if a request count is off the lower bound, a 429 was met, or a plan was wrong.

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    drift: { type: 'string' },
    latency: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const factors = (values.sizes ?? (quick ? '1' : '1,10,50')).split(',').map(Number);
const share = Number(values.drift ?? '0.015');
const latencyMs = Number(values.latency ?? (quick ? '5' : '30'));
const outFile = values.out ?? (quick ? undefined : join(ROOT, 'bench/RESULTS.md'));
// Split evenly between the three kinds of drift.
const drift: DriftShare = { add: share / 3, update: share / 3, remove: share / 3 };
const API_TOKEN = 'bench-api-token-not-a-secret';

const progress = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
/** The lowered budget of the last phase: a server allowing less than a third of the documented 10 POSTs/s. */
const LOW_POST_LIMIT = 3;

async function measure(emulator: EmulatorProcess & { latencyMs: number }, args: string[], cwd: string): Promise<PhaseResult & { run: CliRun }> {
  await emulator.mark();
  const run = await runCli(args, { ASTRO_API_URL: emulator.api, ASTRO_API_TOKEN: API_TOKEN }, cwd);
  const phase = await emulator.phase();
  const r = phase.requests;
  const apiMs = r.firstAt === 0 ? 0 : r.lastAt - r.firstAt + emulator.latencyMs;
  const { stdout: _o, stderr: _e, ...cli } = run;
  return { cli, emulator: phase, apiMs, run };
}

const strip = ({ run: _r, ...p }: PhaseResult & { run: CliRun }): PhaseResult => p;

async function benchSize(size: OrgSize, dir: string): Promise<SizeResult> {
  for (const f of readdirSync(dir)) rmSync(join(dir, f));
  const { state, manifests, expected } = generateOrg(size, drift);
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state));
  for (const m of manifests) writeFileSync(join(dir, m.file), m.text);
  const files = manifests.flatMap((m) => ['-f', m.file]);
  const problems: string[] = [];
  progress(`${size.label}: ${expected.tokens} tokens, ${expected.bindings} bindings, ${expected.changedTokens} tokens to change`);

  const planner = await runScriptJson<PlannerCpu & { summary: { add: number; update: number; remove: number } }>('bench/measure-planner.ts', [dir]);
  progress(`${size.label}: makePlan ${Math.round(planner.planCpuMs)} ms CPU`);

  const phases = await withEmulator(stateFile, latencyMs, async (emulator) => {
    const plan = await measure(emulator, ['plan', ...files, '--out', 'plan.json'], dir);
    progress(`${size.label}: plan ${Math.round(plan.cli.wallMs)} ms, ${plan.emulator.requests.get} GETs`);
    expectCode(problems, 'plan', plan.run, 0);
    const summary = (JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { summary: Record<string, number> }).summary;
    for (const kind of ['add', 'update', 'remove'] as const) {
      if (summary[kind] !== expected[kind]) problems.push(`plan found ${summary[kind]} ${kind}, the generator made ${expected[kind]}`);
    }
    const apply = await measure(emulator, ['apply', '--auto-approve', '--max-removals', String(expected.remove + 1), 'plan.json'], dir);
    progress(`${size.label}: apply ${Math.round(apply.cli.wallMs)} ms, ${apply.emulator.requests.get} GETs + ${apply.emulator.requests.post} POSTs`);
    expectCode(problems, 'apply', apply.run, 0);
    const replan = await measure(emulator, ['plan', ...files, '--detailed-exitcode'], dir);
    expectCode(problems, 'plan after apply (--detailed-exitcode)', replan.run, 0);
    for (const [name, p] of [['plan', plan], ['apply', apply], ['plan after apply', replan]] as const) {
      if (p.emulator.requests.byKind.other > 0) problems.push(`${name}: ${p.emulator.requests.byKind.other} requests of an unexpected kind`);
      if (p.emulator.requests.failed > 0) problems.push(`${name}: ${p.emulator.requests.failed} failed requests`);
    }
    return { plan, apply, replan };
  });
  const planNoLatency = await withEmulator(stateFile, 0, (emulator) => measure(emulator, ['plan', ...files], dir));
  // The smallest size only (it takes changedTokens / ~2 s): the same apply against a server that allows
  // 3 POSTs/s while the client assumes the documented 10, so its adaptive pacing is what is measured.
  const lowBudget = size.label === '1×'
    ? await withEmulator(stateFile, latencyMs, async (emulator) => {
        const plan = await measure(emulator, ['plan', ...files, '--out', 'plan.json'], dir);
        expectCode(problems, 'plan (lowered budget)', plan.run, 0);
        const apply = await measure(emulator, ['apply', '--auto-approve', '--max-removals', String(expected.remove + 1), 'plan.json'], dir);
        expectCode(problems, `apply under ${LOW_POST_LIMIT} POSTs/s`, apply.run, 0);
        progress(`${size.label}: apply under ${LOW_POST_LIMIT} POSTs/s ${Math.round(apply.cli.wallMs)} ms, ${apply.emulator.requests.rateLimited} × 429`);
        return { postLimit: LOW_POST_LIMIT, apply: strip(apply) };
      }, LOW_POST_LIMIT)
    : undefined;
  return {
    size,
    drift,
    latencyMs,
    expected,
    planner: { manifestCpuMs: planner.manifestCpuMs, manifestMaxRssMb: planner.manifestMaxRssMb, planCpuMs: planner.planCpuMs, planWallMs: planner.planWallMs, bindings: planner.bindings },
    plan: strip(phases.plan),
    apply: strip(phases.apply),
    replan: strip(phases.replan),
    planNoLatency: strip(planNoLatency),
    ...(lowBudget !== undefined ? { lowBudget } : {}),
    problems,
  };
}

async function withEmulator<T>(
  state: string,
  latency: number,
  fn: (e: EmulatorProcess & { latencyMs: number }) => Promise<T>,
  postLimit?: number,
): Promise<T> {
  const emulator = await startEmulatorProcess({ state, latencyMs: latency, rateLimits: true, ...(postLimit !== undefined ? { postLimit } : {}) });
  try {
    return await fn({ ...emulator, latencyMs: latency });
  } finally {
    await emulator.close();
  }
}

function expectCode(problems: string[], name: string, run: CliRun, code: number): void {
  if (run.code === code) return;
  problems.push(`${name} exited ${run.code} (expected ${code}): ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`);
}

const started = Date.now();
const loadAtStart = loadavg()[0] ?? 0;
const dir = mkdtempSync(join(tmpdir(), 'astro-access-bench-'));
try {
  const startup = await runCli(['--version'], {}, ROOT);
  const sizes: SizeResult[] = [];
  for (const f of factors) sizes.push(await benchSize(sizeOf(f), dir));
  const cpu = cpus();
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const run: BenchRun = {
    command,
    quick,
    startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
    durationS: (Date.now() - started) / 1000,
    environment: { node: process.version, cpu: cpu[0]?.model.trim() ?? 'unknown CPU', cores: cpu.length, platform: `${platform()} ${process.arch}`, loadAverage: [loadAtStart, loadavg()[0] ?? 0] },
    startupMs: startup.wallMs,
    sizes,
  };
  const text = renderResults(run);
  if (outFile !== undefined) {
    writeFileSync(outFile, text);
    progress(`wrote ${outFile}`);
  } else {
    process.stdout.write(text);
  }
  // Requests, 429s and correctness are deterministic: a smoke check fails on them, never on timings.
  const hard = checkTargets(run).filter((c) => !c.ok && /^(requests|zero 429s|every plan)/.test(c.target));
  for (const c of hard) progress(`FAILED: ${c.target}: ${c.measured}`);
  process.exitCode = hard.length > 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
