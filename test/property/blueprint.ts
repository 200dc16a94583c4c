import fc from 'fast-check';
import type { ApiTokenRole } from '../../src/astro/types.ts';
import type { EmulatorState, StateToken } from '../../src/emulator/index.ts';

// Random organizations (tokens of every scope; roles on workspaces, deployments and DAGs) and random
// manifests for them, generated from plain numbers so fast-check can shrink a failure to a small case.

export const ORG = 'corg000000000000000000000';
const id = (kind: string, i: number): string => `c${kind}${String(i).padStart(23, '0')}`;

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

export const blueprintArb = fc.record({
  deploymentsPerWorkspace: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  customRoles: fc.array(fc.array(fc.nat(2), { maxLength: 2 }), { maxLength: 2 }),
  tokens: fc.array(
    fc.record({
      scope: fc.constantFrom('WORKSPACE', 'WORKSPACE', 'ORGANIZATION', 'DEPLOYMENT') as fc.Arbitrary<'WORKSPACE' | 'ORGANIZATION' | 'DEPLOYMENT'>,
      home: fc.nat(20),
      ownRole: fc.nat(4),
      ignored: fc.boolean(),
      bindings: fc.array(fc.record({ deployment: fc.nat(20), role: fc.nat(5) }), { maxLength: 4 }),
      dags: fc.array(fc.record({ deployment: fc.nat(20), dag: fc.nat(3) }), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 10 },
  ),
  manifest: fc.record({
    prune: fc.option(fc.boolean(), { nil: undefined }),
    ignore: fc.boolean(),
    managed: fc.array(
      fc.record({
        deployment: fc.nat(20),
        byId: fc.boolean(),
        prune: fc.option(fc.boolean(), { nil: undefined }),
        workspaceTokens: fc.option(fc.array(fc.record({ token: fc.nat(20), role: fc.nat(5), byId: fc.boolean() }), { maxLength: 5 }), { nil: undefined }),
        organizationTokens: fc.option(fc.array(fc.record({ token: fc.nat(20), role: fc.nat(5), byId: fc.boolean() }), { maxLength: 3 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
});
export type Blueprint = typeof blueprintArb extends fc.Arbitrary<infer T> ? T : never;

export interface Deployed {
  id: string;
  name: string;
  workspaceId: string;
  workspaceName: string;
}

/** What the test needs to judge the outcome: the manifest as the oracle reads it. */
export interface ManagedDeployment {
  deployment: Deployed;
  prune: boolean;
  /** tokenId → role, per managed kind; undefined: kind not managed. */
  workspace?: Map<string, string>;
  organization?: Map<string, string>;
}

export interface Case {
  state: EmulatorState;
  yaml: string;
  managed: ManagedDeployment[];
  ignoredTokenIds: Set<string>;
  /** Token ID → the workspace a WORKSPACE token belongs to. */
  homeOf: Map<string, string>;
}

export function buildCase(bp: Blueprint): Case {
  const workspaces = bp.deploymentsPerWorkspace.map((_, w) => ({ id: id('w', w), name: `ws-${w}` }));
  const deployments: Deployed[] = bp.deploymentsPerWorkspace.flatMap((n, w) =>
    Array.from({ length: n }, (_, d) => ({ id: id('d', w * 10 + d), name: `dep-${d}`, workspaceId: workspaces[w]!.id, workspaceName: workspaces[w]!.name })),
  );
  const roles = bp.customRoles.map((restricted, r) => ({
    id: id('r', r),
    name: `CUSTOM_${r}`,
    scopeType: 'DEPLOYMENT' as const,
    restrictedWorkspaceIds: [...new Set(restricted.map((w) => workspaces[w % workspaces.length]!.id))],
  }));
  const allowed = (d: Deployed): string[] => [
    'DEPLOYMENT_ADMIN',
    ...roles.filter((r) => r.restrictedWorkspaceIds.length === 0 || r.restrictedWorkspaceIds.includes(d.workspaceId)).map((r) => r.name),
  ];

  const homeOf = new Map<string, string>();
  const ignoredTokenIds = new Set<string>();
  const tokens: StateToken[] = bp.tokens.map((t, i) => {
    const tokenId = id('t', i);
    const name = t.ignored ? `ign-${i}` : `tok-${i}`;
    if (t.ignored && bp.manifest.ignore) ignoredTokenIds.add(tokenId);
    const own: ApiTokenRole[] = [];
    let reach: Deployed[] = deployments;
    if (t.scope === 'WORKSPACE') {
      const ws = workspaces[t.home % workspaces.length]!;
      homeOf.set(tokenId, ws.id);
      own.push({ entityType: 'WORKSPACE', entityId: ws.id, role: ['WORKSPACE_OWNER', 'WORKSPACE_OPERATOR', 'WORKSPACE_AUTHOR', 'WORKSPACE_MEMBER', 'WORKSPACE_ACCESSOR'][t.ownRole]! });
      reach = deployments.filter((d) => d.workspaceId === ws.id);
    } else if (t.scope === 'ORGANIZATION') {
      own.push({ entityType: 'ORGANIZATION', entityId: ORG, role: ['ORGANIZATION_OWNER', 'ORGANIZATION_MEMBER', 'ORGANIZATION_BILLING_ADMIN', 'ORGANIZATION_OBSERVE_ADMIN', 'ORGANIZATION_OBSERVE_MEMBER'][t.ownRole]! });
    } else {
      const d = deployments[t.home % deployments.length]!;
      own.push({ entityType: 'DEPLOYMENT', entityId: d.id, role: 'DEPLOYMENT_ADMIN' });
      reach = [];
    }
    const bound = new Map<string, ApiTokenRole>();
    for (const b of t.bindings) {
      const d = pick(reach, b.deployment);
      if (d && !bound.has(d.id)) bound.set(d.id, { entityType: 'DEPLOYMENT', entityId: d.id, role: pick(allowed(d), b.role)! });
    }
    const dags = new Map<string, ApiTokenRole>();
    for (const g of t.dags) {
      const d = pick(t.scope === 'DEPLOYMENT' ? [deployments[t.home % deployments.length]!] : reach, g.deployment);
      if (d) dags.set(`${d.id}|${g.dag}`, { entityType: 'DAG', entityId: `dag_${g.dag}`, role: 'DAG_VIEWER', deploymentId: d.id });
    }
    return { id: tokenId, name, scope: t.scope, roles: [...own, ...bound.values(), ...dags.values()] };
  });

  const managed = new Map<string, ManagedDeployment & { byId: boolean; lines: string[] }>();
  for (const m of bp.manifest.managed) {
    const d = deployments[m.deployment % deployments.length]!;
    if (managed.has(d.id)) continue;
    const entry: ManagedDeployment & { byId: boolean; lines: string[] } = {
      deployment: d,
      prune: m.prune ?? bp.manifest.prune ?? true,
      byId: m.byId,
      lines: [],
    };
    if (m.prune !== undefined) entry.lines.push(`        prune: ${m.prune}`);
    const kinds = [
      ['workspace', 'workspaceTokens', m.workspaceTokens, tokens.filter((t) => t.scope === 'WORKSPACE' && homeOf.get(t.id) === d.workspaceId)],
      ['organization', 'organizationTokens', m.organizationTokens, tokens.filter((t) => t.scope === 'ORGANIZATION')],
    ] as const;
    for (const [kind, key, declared, candidates] of kinds) {
      if (declared === undefined) continue;
      const map = new Map<string, string>();
      const lines: string[] = [];
      for (const b of declared) {
        const t = pick(candidates, b.token);
        if (!t || map.has(t.id)) continue;
        const role = pick(allowed(d), b.role)!;
        map.set(t.id, role);
        lines.push(b.byId ? `          - tokenId: ${t.id}` : `          - token: ${t.name}`, `            role: ${role}`);
      }
      entry[kind] = map;
      entry.lines.push(lines.length === 0 ? `        ${key}: []` : `        ${key}:`, ...lines);
    }
    managed.set(d.id, entry);
  }

  const yaml = [`version: 1`, `organizationId: ${ORG}`];
  if (bp.manifest.prune !== undefined) yaml.push(`prune: ${bp.manifest.prune}`);
  if (bp.manifest.ignore) yaml.push(`ignore: ["ign-*"]`);
  yaml.push('workspaces:');
  for (const [w, ws] of workspaces.entries()) {
    const mine = [...managed.values()].filter((m) => m.deployment.workspaceId === ws.id);
    if (mine.length === 0) continue;
    yaml.push(w % 2 === 0 ? `  - workspace: ${ws.name}` : `  - workspaceId: ${ws.id}`, '    deployments:');
    for (const m of mine) {
      yaml.push(m.byId ? `      - deploymentId: ${m.deployment.id}` : `      - deployment: ${m.deployment.name}`, ...m.lines);
    }
  }

  return {
    state: {
      organization: { id: ORG, name: 'Property Org' },
      workspaces,
      deployments: deployments.map(({ id: depId, name, workspaceId }) => ({ id: depId, name, workspaceId })),
      roles,
      tokens,
    },
    yaml: yaml.join('\n') + '\n',
    managed: [...managed.values()].map(({ byId: _b, lines: _l, ...m }) => m),
    ignoredTokenIds,
    homeOf,
  };
}
