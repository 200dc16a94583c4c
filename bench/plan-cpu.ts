// CPU cost of planning a large organization: 100 workspaces × 10 deployments × 100 workspace tokens
// = 100,000 desired bindings, with about 10% drift (adds, role updates, undeclared bindings to remove).
// Not a test: run with `npx tsx bench/plan-cpu.ts` and read the figures.
import type { ApiTokenRole, Deployment, Role, Workspace } from '../src/astro/types.ts';
import type { Desired, DesiredBinding, DesiredDeployment } from '../src/manifest/types.ts';
import type { Actual, ActualToken } from '../src/astro/actual.ts';
import { makePlan } from '../src/plan/planner.ts';

const WORKSPACES = 100;
const DEPLOYMENTS = 10;
const TOKENS = 100;
const T = '2026-01-01T00:00:00Z';
const ORG = 'clx42kkcm01fo01o06agtmshg';

let seed = 42; // a fixed xorshift sequence, so every run plans the same organization
const rand = (): number => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
let n = 0;
const id = (): string => 'c' + (++n).toString(36).padStart(24, '0');

function generate(): { actual: Actual; desired: Desired } {
  const actual: Actual = {
    organizationId: ORG, workspaces: [], deployments: [], tokens: [], roles: [],
    defaultRoles: [{ name: 'DEPLOYMENT_ADMIN', scopeType: 'DEPLOYMENT', permissions: [] }],
  };
  const who = { id: 'cu1' };
  const role: Role = { id: id(), name: 'DAG_VIEWER', scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [], createdAt: T, updatedAt: T, createdBy: who, updatedBy: who };
  actual.roles.push(role);
  const deployments: DesiredDeployment[] = [];
  let line = 0;
  const at = () => ({ file: 'big.yaml', line: ++line, col: 1 });
  for (let w = 0; w < WORKSPACES; w++) {
    const ws: Workspace = { id: id(), name: `ws-${w}`, organizationId: ORG, cicdEnforcedDefault: false, createdAt: T, updatedAt: T };
    actual.workspaces.push(ws);
    const deps: Deployment[] = [];
    for (let d = 0; d < DEPLOYMENTS; d++) {
      const dep: Deployment = { id: id(), name: `dep-${d}`, workspaceId: ws.id, organizationId: ORG, status: 'HEALTHY', createdAt: T, updatedAt: T };
      deps.push(dep);
      actual.deployments.push(dep);
    }
    const declared = new Map<string, DesiredBinding[]>(deps.map((d) => [d.id, []]));
    for (let t = 0; t < TOKENS; t++) {
      const roles: ApiTokenRole[] = [{ entityType: 'WORKSPACE', entityId: ws.id, role: 'WORKSPACE_MEMBER' }];
      const name = `tok-${w}-${t}`;
      for (const dep of deps) {
        const r = rand();
        const want = r < 0.5 ? 'DEPLOYMENT_ADMIN' : 'DAG_VIEWER';
        if (r >= 0.033 && r < 0.5 || r >= 0.533) roles.push({ entityType: 'DEPLOYMENT', entityId: dep.id, role: want }); // in sync
        else if (r >= 0.5 && r < 0.533) roles.push({ entityType: 'DEPLOYMENT', entityId: dep.id, role: 'DEPLOYMENT_ADMIN' }); // update
        // r < 0.033: missing live → add
        declared.get(dep.id)?.push({ at: at(), subject: { name, at: at() }, role: want, roleAt: at() });
      }
      actual.tokens.push({ id: id(), name, description: '', shortToken: 'abcdef', scope: 'WORKSPACE', kind: 'STANDARD', roles, startAt: T, createdAt: T, updatedAt: T } satisfies ActualToken);
    }
    // Undeclared tokens bound live: removed with prune on (about 3% of the bindings).
    for (let x = 0; x < 3; x++) {
      actual.tokens.push({
        id: id(), name: `stray-${w}-${x}`, description: '', shortToken: 'abcdef', scope: 'WORKSPACE', kind: 'STANDARD',
        roles: [{ entityType: 'WORKSPACE', entityId: ws.id, role: 'WORKSPACE_MEMBER' },
          ...deps.map((d) => ({ entityType: 'DEPLOYMENT' as const, entityId: d.id, role: 'DEPLOYMENT_ADMIN' }))],
        startAt: T, createdAt: T, updatedAt: T,
      });
    }
    for (const dep of deps) {
      deployments.push({ at: at(), workspace: { name: ws.name, at: at() }, deployment: { name: dep.name, at: at() }, prune: true, workspaceTokens: declared.get(dep.id) ?? [] });
    }
  }
  const desired: Desired = { organizationId: ORG, ignore: ['break-glass-*'], protect: ['tok-1-*'], deployments, files: ['big.yaml'], digest: '0'.repeat(64) };
  return { actual, desired };
}

const { actual, desired } = generate();
const bindings = desired.deployments.reduce((s, d) => s + (d.workspaceTokens?.length ?? 0), 0);

function measure(): { ms: number; summary: string } {
  const before = process.cpuUsage();
  const { plan, errors } = makePlan(desired, actual);
  const used = process.cpuUsage(before);
  if (errors.length > 0 || !plan) throw new Error(`unexpected errors: ${errors.length}`);
  const s = plan.summary;
  return { ms: (used.user + used.system) / 1000, summary: `add ${s.add}, update ${s.update}, remove ${s.remove}, unchanged ${s.unchanged}, tokens ${Object.keys(plan.tokens).length}` };
}

const first = measure();
const warm = [measure(), measure(), measure()].map((m) => m.ms).sort((a, b) => a - b);
const median = warm[1] ?? first.ms;
console.log(`${bindings} desired bindings, ${actual.tokens.length} tokens, ${actual.deployments.length} deployments`);
console.log(`plan: ${first.summary}`);
console.log(`first run: ${first.ms.toFixed(0)} ms CPU (${Math.round(bindings / (first.ms / 1000)).toLocaleString('en')} bindings/s)`);
console.log(`warm median of 3: ${median.toFixed(0)} ms CPU (${Math.round(bindings / (median / 1000)).toLocaleString('en')} bindings/s)`);
