import { ASTRO_CLI_START_S, astroCliPattern, lowerBound, rateBoundSeconds, sequentialSeconds, total, writeFloor } from './bounds.ts';
import type { Cost, Requests } from './bounds.ts';
import type { DriftShare, Expected, OrgSize } from './generate.ts';
import type { CliRun, EmulatorPhase } from './processes.ts';

// What one benchmark run measured, and the figures derived from it against the yardsticks and targets.

export interface PhaseResult {
  cli: Omit<CliRun, 'stdout' | 'stderr'>;
  emulator: EmulatorPhase;
  /** First request's arrival to the last request's arrival, plus one latency (the last answer's wait). */
  apiMs: number;
}

export interface PlannerCpu {
  manifestCpuMs: number;
  /** Peak memory of a process that has only loaded the manifest. */
  manifestMaxRssMb: number;
  planCpuMs: number;
  planWallMs: number;
  bindings: number;
}

export interface SizeResult {
  size: OrgSize;
  drift: DriftShare;
  latencyMs: number;
  expected: Expected;
  planner: PlannerCpu;
  plan: PhaseResult;
  apply: PhaseResult;
  /** A plan right after the apply: must find nothing to do. */
  replan: PhaseResult;
  /** The same plan against an emulator without added latency: the emulator's and the client's own cost. */
  planNoLatency: PhaseResult;
  /** The apply of the same drift against a server allowing only `postLimit` POSTs/s (the smallest size). */
  lowBudget?: { postLimit: number; apply: PhaseResult };
  /** Correctness problems found (wrong plan summary, exit codes, requests of unexpected kinds); empty when all is well. */
  problems: string[];
}

export interface BenchRun {
  command: string;
  quick: boolean;
  startedAt: string;
  durationS: number;
  environment: { node: string; cpu: string; cores: number; platform: string; loadAverage: number[] };
  /** `astro-access --version` as a whole process: the CLI's fixed start-up cost. */
  startupMs: number;
  sizes: SizeResult[];
}

export interface Derived {
  bound: Cost;
  astroCli: Cost & { commands: { plan: number; apply: number } };
  /** One POST per changed token: no apply can send fewer requests. */
  floor: Requests;
  /** Apply requests ÷ the write floor. */
  applyVsFloor: number;
  /** The astro CLI pattern's apply at best: max(rate-limit bound, one request at a time) + one process start a command. */
  astroCliApplyS: number;
  astroCliPlanS: number;
  measured: Cost;
  planPages: number;
  planRatio: number;
  applyRatio: number;
  planVsAstroCli: number;
  applyVsAstroCli: number;
  planBoundS: number;
  applyBoundS: number;
  latencyTimesPagesS: number;
  rateLimited: number;
}

const req = (p: PhaseResult): Requests => ({ get: p.emulator.requests.get, post: p.emulator.requests.post });

export function derive(s: SizeResult): Derived {
  const bound = lowerBound(s.expected);
  const astroCli = astroCliPattern(s.expected);
  const measured = { plan: req(s.plan), apply: req(s.apply) };
  const floor = writeFloor(s.expected);
  const cliBest = (r: Requests, commands: number): number =>
    Math.max(rateBoundSeconds(r, s.latencyMs), sequentialSeconds(r, s.latencyMs)) + commands * ASTRO_CLI_START_S;
  return {
    bound,
    astroCli,
    floor,
    applyVsFloor: total(measured.apply) / total(floor),
    astroCliApplyS: cliBest(astroCli.apply, astroCli.commands.apply),
    astroCliPlanS: cliBest(astroCli.plan, astroCli.commands.plan),
    measured,
    planPages: bound.plan.get,
    planRatio: total(measured.plan) / total(bound.plan),
    applyRatio: total(measured.apply) / total(bound.apply),
    planVsAstroCli: total(measured.plan) / total(astroCli.plan),
    applyVsAstroCli: total(measured.apply) / total(astroCli.apply),
    planBoundS: rateBoundSeconds(bound.plan, s.latencyMs),
    applyBoundS: rateBoundSeconds(bound.apply, s.latencyMs),
    latencyTimesPagesS: (bound.plan.get * s.latencyMs) / 1000,
    rateLimited: s.plan.emulator.requests.rateLimited + s.apply.emulator.requests.rateLimited + s.replan.emulator.requests.rateLimited,
  };
}

export interface TargetCheck {
  target: string;
  measured: string;
  ok: boolean;
}

/** The targets, checked on the run (time and CPU targets on the largest size run). */
export function checkTargets(run: BenchRun): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const all = run.sizes.map((s) => ({ s, d: derive(s) }));
  const largest = all[all.length - 1];
  if (largest === undefined) return checks;
  checks.push({
    target: 'requests: plan and apply at the lower bound (ratio 1.00), every size',
    measured: all.map(({ s, d }) => `${s.size.label} ${fix(d.planRatio)} / ${fix(d.applyRatio)}`).join('; '),
    ok: all.every(({ d }) => d.planRatio === 1 && d.applyRatio === 1),
  });
  checks.push({
    target: 'zero 429s under the documented limits',
    measured: all.map(({ s, d }) => `${s.size.label} ${d.rateLimited}`).join('; '),
    ok: all.every(({ d }) => d.rateLimited === 0),
  });
  const { s, d } = largest;
  checks.push({
    target: `apply within 1.15× of the rate-limit bound at the largest size (${s.size.label})`,
    measured: `API ${secs(s.apply.apiMs)} / ${secs(d.applyBoundS * 1000)} = ${fix(s.apply.apiMs / 1000 / d.applyBoundS)}; whole process ${fix(s.apply.cli.wallMs / 1000 / d.applyBoundS)}`,
    ok: s.apply.cli.wallMs / 1000 / d.applyBoundS <= 1.15,
  });
  checks.push({
    target: `plan within 1.2× of latency × pages (${s.size.label}: ${d.planPages} pages × ${s.latencyMs} ms = ${secs(d.latencyTimesPagesS * 1000)})`,
    measured:
      `API ${secs(s.plan.apiMs)} = ${fix(s.plan.apiMs / 1000 / d.latencyTimesPagesS)}×; whole process ${secs(s.plan.cli.wallMs)} = ${fix(s.plan.cli.wallMs / 1000 / d.latencyTimesPagesS)}×. ` +
      `The rate limit alone allows no less than GETs/25 + latency = ${secs(d.planBoundS * 1000)} = ${fix(d.planBoundS / d.latencyTimesPagesS)}× (no burst assumed)`,
    ok: s.plan.apiMs / 1000 / d.latencyTimesPagesS <= 1.2,
  });
  checks.push({
    target: `planning ${int(s.planner.bindings)} bindings under 1 s of CPU`,
    measured: `makePlan ${ms(s.planner.planCpuMs)} CPU`,
    ok: s.planner.planCpuMs < 1000,
  });
  const peak = Math.max(s.plan.cli.maxRssMb, s.apply.cli.maxRssMb, s.replan.cli.maxRssMb);
  checks.push({
    target: `under 300 MB peak memory for the whole CLI process (${s.size.label})`,
    measured: `plan ${mb(s.plan.cli.maxRssMb)}, apply ${mb(s.apply.cli.maxRssMb)}, plan after apply ${mb(s.replan.cli.maxRssMb)}`,
    ok: peak < 300,
  });
  const busy = Math.max(...all.flatMap(({ s: x }) => [x.plan, x.apply].map((p) => p.emulator.busyMs / Math.max(1, p.emulator.wallMs))));
  checks.push({
    target: 'the emulator is not what limits the benchmark',
    measured: `its event loop was busy at most ${pct(busy)} of any measured phase`,
    ok: busy < 0.5,
  });
  const low = all.flatMap(({ s: x }) => (x.lowBudget ? [{ x, lb: x.lowBudget }] : []));
  if (low.length > 0) {
    checks.push({
      target: 'under a lowered budget (a server allowing 3 POSTs/s): the apply converges, few 429s, no token failed',
      measured: low
        .map(({ x, lb }) => `${x.size.label}: ${lb.apply.emulator.requests.post} POSTs for ${x.expected.changedTokens} tokens, ${lb.apply.emulator.requests.rateLimited} × 429, exit ${lb.apply.cli.code}`)
        .join('; '),
      ok: low.every(({ x, lb }) => lb.apply.cli.code === 0 && lb.apply.emulator.requests.rateLimited <= Math.max(10, x.expected.changedTokens / 4)),
    });
  }
  checks.push({
    target: 'every plan matched the generated drift, every apply converged',
    measured: all.every(({ s: x }) => x.problems.length === 0) ? 'yes' : all.flatMap(({ s: x }) => x.problems).join('; '),
    ok: all.every(({ s: x }) => x.problems.length === 0),
  });
  return checks;
}

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fix = (n: number, digits = 2): string => n.toFixed(digits);
export const secs = (msValue: number): string => `${(msValue / 1000).toFixed(msValue < 10_000 ? 2 : 1)} s`;
export const ms = (n: number): string => `${Math.round(n)} ms`;
export const mb = (n: number): string => `${Math.round(n)} MB`;
export const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
