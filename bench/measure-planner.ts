import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadState } from '../src/emulator/index.ts';
import { loadManifestFiles } from '../src/manifest/load.ts';
import type { Actual } from '../src/astro/actual.ts';
import { makePlan } from '../src/plan/planner.ts';

// The planner's own CPU time, apart from process start-up and the network: loads the generated manifest
// files (DIR/manifest-*.yaml) and organization (DIR/state.json), then times makePlan with process.cpuUsage(). Run in its own process so
// the driver's heap does not disturb it. Prints one JSON line.
//
//   node --import tsx bench/measure-planner.ts DIR

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: measure-planner.ts DIR');

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

const loadStart = process.cpuUsage();
const files = readdirSync(dir).filter((f) => /^manifest-.*\.yaml$/.test(f)).sort().map((f) => join(dir, f));
const loaded = await loadManifestFiles(files);
const manifestCpuMs = cpuMs(loadStart);
// Peak memory so far: the process start plus loading the manifest (nothing else is loaded yet).
const manifestMaxRssMb = process.resourceUsage().maxRSS / 1024;
if (loaded.desired === undefined || loaded.errors.length > 0) {
  throw new Error(`the generated manifest does not load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
}
const state = loadState(join(dir, 'state.json'));
const actual: Actual = {
  organizationId: state.organization.id,
  workspaces: state.workspaces,
  deployments: state.deployments,
  tokens: state.tokens.map((t) => ({ ...t, roles: t.roles ?? [] })),
  roles: state.roles,
  defaultRoles: state.defaultRoles,
};

const planStart = process.cpuUsage();
const wallStart = performance.now();
const { plan, errors } = makePlan(loaded.desired, actual);
const planCpuMs = cpuMs(planStart);
const planWallMs = performance.now() - wallStart;
if (plan === undefined || errors.length > 0) throw new Error(`makePlan failed: ${JSON.stringify(errors.slice(0, 3))}`);

process.stdout.write(
  JSON.stringify({
    manifestCpuMs,
    manifestMaxRssMb,
    planCpuMs,
    planWallMs,
    bindings: loaded.desired.deployments.reduce((n, d) => n + (d.workspaceTokens?.length ?? 0), 0),
    summary: plan.summary,
  }) + '\n',
);
