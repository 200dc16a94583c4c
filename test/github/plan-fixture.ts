import type { Plan, PlanAction, PlanExpiration } from '../../src/plan/types.ts';

// Small builders for plans in GitHub-side tests (plain data, as the planner emits it).

export function action(
  kind: PlanAction['action'],
  deploymentId: string,
  tokenId: string,
  before: string | null,
  after: string | null,
): PlanAction {
  return {
    action: kind,
    deployment: { id: deploymentId, name: `dep-${deploymentId}`, workspaceId: 'ws1', workspaceName: 'Data Platform' },
    subject: { type: 'token', id: tokenId, name: `tok-${tokenId}`, scope: 'WORKSPACE' },
    before,
    after,
    reason: kind === 'remove' ? 'not declared (prune)' : 'declared',
    source: kind === 'remove' ? null : 'astro-access.yaml:10',
  };
}

export function plan(actions: PlanAction[], checksum = 'sha256:' + 'c'.repeat(64)): Plan {
  const count = (k: PlanAction['action']) => actions.filter((a) => a.action === k).length;
  return {
    formatVersion: 2,
    organizationId: 'clx42kkcm01fo01o06agtmshg',
    manifestDigest: 'd'.repeat(64),
    checksum,
    summary: { add: count('add'), update: count('update'), remove: count('remove'), unchanged: 3, unmanaged: 0, ignored: 0 },
    actions,
    unmanaged: [],
    ignored: [],
    warnings: [],
    expirations: [],
    deployments: [],
    protectedSubjects: [],
    tokens: {},
    users: {},
    teams: {},
  };
}

/** A declared grant that has ended (`expired`) or ends within 7 days, on the deployment and subject of `a`. */
export function expiration(
  a: Pick<PlanAction, 'deployment' | 'subject'>,
  opts: { role?: string; expires?: string; endsAt?: string; expired?: boolean; source?: string } = {},
): PlanExpiration {
  const expires = opts.expires ?? '2026-01-01';
  return {
    deployment: a.deployment,
    subject: a.subject,
    role: opts.role ?? 'DEPLOYMENT_ADMIN',
    expires,
    endsAt: opts.endsAt ?? '2026-01-02T00:00:00.000Z',
    expired: opts.expired ?? true,
    source: opts.source ?? 'astro-access.yaml:12',
  };
}

/** The removal the planner makes of an expired grant: it carries the `expires` as written. */
export function expiryRemoval(deploymentId: string, tokenId: string, role: string, expires = '2026-01-01'): PlanAction {
  return { ...action('remove', deploymentId, tokenId, role, null), reason: `expired on ${expires}`, source: 'astro-access.yaml:12', expires };
}
