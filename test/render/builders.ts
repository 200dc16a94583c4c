import type { TokenScope } from '../../src/astro/types.ts';
import type { ActionKind, Plan, PlanAction, PlanBinding, PlanDeploymentRef, PlanExpiration, PlanSubjectRef } from '../../src/plan/types.ts';

// Small builders for hand-made plans: the renderers are tested without the planner.

/** A distinct 25-character ID for each n (cuid-shaped). */
export function cuid(n: number, prefix = 'c'): string {
  return prefix + n.toString(36).padStart(24, '0');
}

export function deployment(over: Partial<PlanDeploymentRef> = {}): PlanDeploymentRef {
  return { id: 'clvduhrvd000008l842ohcpvb', name: 'prod', workspaceId: 'clvdwt4z3000008l60ofb6347', workspaceName: 'Data Platform', ...over };
}

export function token(over: Partial<PlanSubjectRef> = {}): PlanSubjectRef {
  return { type: 'token', id: 'clz9k2w1q000108mh3tq4a7vd', name: 'ci-deployer', scope: 'WORKSPACE' as TokenScope, ...over };
}

export function user(over: Partial<PlanSubjectRef> = {}): PlanSubjectRef {
  return { type: 'user', id: 'clu5r1x2y000108mh3tq4user1', name: 'ana.lopez@example.com', ...over };
}

export function team(over: Partial<PlanSubjectRef> = {}): PlanSubjectRef {
  return { type: 'team', id: 'clt3a9m2k000108mh3tq4team1', name: 'Data Engineers', ...over };
}

/** A listed expiration: by default a user's grant ending in a few days. */
export function expiration(over: Partial<PlanExpiration> = {}): PlanExpiration {
  return {
    deployment: deployment(), subject: user(), role: 'DEPLOYMENT_ADMIN', expires: '2026-12-31',
    endsAt: '2027-01-01T00:00:00.000Z', expired: false, source: 'astro-access.yaml:30', ...over,
  };
}

export function action(kind: ActionKind, over: Partial<PlanAction> = {}): PlanAction {
  const roles: Record<ActionKind, [string | null, string | null]> = {
    add: [null, 'DEPLOYMENT_ADMIN'],
    update: ['DAG_VIEWER', 'DEPLOYMENT_ADMIN'],
    remove: ['DEPLOYMENT_ADMIN', null],
  };
  const [before, after] = roles[kind];
  return {
    action: kind,
    deployment: deployment(),
    subject: token(),
    before,
    after,
    reason: kind === 'remove' ? 'not declared in the manifest (prune)' : 'declared in the manifest',
    source: kind === 'remove' ? null : 'astro-access.yaml:12',
    ...over,
  };
}

export function binding(over: Partial<PlanBinding> = {}): PlanBinding {
  return { deployment: deployment(), subject: token(), role: 'DAG_VIEWER', reason: 'not declared, prune is off', ...over };
}

/** A plan whose summary counts agree with its lists. */
export function plan(parts: {
  actions?: PlanAction[]; unmanaged?: PlanBinding[]; ignored?: PlanBinding[]; warnings?: string[]; organizationId?: string; expirations?: PlanExpiration[];
} = {}): Plan {
  const actions = parts.actions ?? [];
  const count = (k: ActionKind) => actions.filter((a) => a.action === k).length;
  const unmanaged = parts.unmanaged ?? [];
  const ignored = parts.ignored ?? [];
  return {
    formatVersion: 2,
    organizationId: parts.organizationId ?? 'clx42kkcm01fo01o06agtmshg',
    manifestDigest: 'a'.repeat(64),
    checksum: 'sha256:' + 'b'.repeat(64),
    summary: { add: count('add'), update: count('update'), remove: count('remove'), unchanged: 3, unmanaged: unmanaged.length, ignored: ignored.length },
    actions,
    unmanaged,
    ignored,
    warnings: parts.warnings ?? [],
    deployments: [],
    expirations: parts.expirations ?? [],
    protectedSubjects: [],
    tokens: fingerprints(actions, 'token'),
    users: fingerprints(actions, 'user'),
    teams: fingerprints(actions, 'team'),
  };
}

function fingerprints(actions: readonly PlanAction[], type: PlanSubjectRef['type']): Plan['tokens'] {
  return Object.fromEntries(actions.filter((a) => a.subject.type === type).map((a) => [a.subject.id, { fingerprint: 'sha256:' + 'c'.repeat(64) }]));
}

/** The example used across tests: one deployment with an add, an update and a remove, plus kept bindings. */
export function samplePlan(): Plan {
  return plan({
    actions: [
      action('add', { subject: token({ id: cuid(1), name: 'ci-deployer' }) }),
      action('update', { subject: token({ id: cuid(2), name: 'dag-reader' }), source: 'astro-access.yaml:14' }),
      action('remove', { subject: token({ id: cuid(3), name: 'old-org-observer', scope: 'ORGANIZATION' }) }),
      action('add', { deployment: deployment({ id: cuid(9, 'd'), name: 'staging' }), subject: token({ id: cuid(1), name: 'ci-deployer' }) }),
    ],
    unmanaged: [binding({ subject: token({ id: cuid(4), name: 'legacy' }) })],
    ignored: [binding({ subject: token({ id: cuid(5), name: 'break-glass-1' }), role: 'DEPLOYMENT_ADMIN', reason: 'matches ignore "break-glass-*"' })],
    warnings: ['token "dup" matches two names'],
  });
}
