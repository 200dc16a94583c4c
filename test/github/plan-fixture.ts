import type { Plan, PlanAction } from '../../src/plan/types.ts';

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
