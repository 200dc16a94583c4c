import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiTokenRole, DefaultRole, Deployment, Role, Workspace } from '../../src/astro/types.ts';
import type { Desired, DesiredBinding, DesiredDeployment, SourceLocation } from '../../src/manifest/types.ts';
import type { Actual, ActualToken } from '../../src/astro/actual.ts';
import { fingerprintRoles } from '../../src/plan/fingerprint.ts';
import { makePlan } from '../../src/plan/planner.ts';

// The shipped example pair: examples/emulator-state.json as Actual, and a Desired written by hand to
// match examples/astro-access.yaml (same references, same lines), so the planner is checked on the
// organization the demo runs against.

interface StateFile {
  organization: { id: string };
  workspaces: { id: string; name: string }[];
  deployments: { id: string; name: string; workspaceId: string }[];
  roles: { id: string; name: string; scopeType: Role['scopeType']; restrictedWorkspaceIds: string[] }[];
  defaultRoles: DefaultRole[];
  tokens: { id: string; name: string; scope: ActualToken['scope']; description?: string; roles?: ApiTokenRole[] }[];
}

const T = '2026-01-01T00:00:00Z';

/** The emulator state leaves out fields the planner never reads; fill them as the API would send them. */
function actualFromState(path: string): Actual {
  const s = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
  const org = s.organization.id;
  const names = new Map(s.workspaces.map((w) => [w.id, w.name]));
  const who = { id: 'cu1' };
  return {
    organizationId: org,
    workspaces: s.workspaces.map((w): Workspace => ({ ...w, organizationId: org, cicdEnforcedDefault: false, createdAt: T, updatedAt: T })),
    deployments: s.deployments.map((d): Deployment => ({
      ...d, workspaceName: names.get(d.workspaceId), organizationId: org, status: 'HEALTHY', createdAt: T, updatedAt: T,
    })),
    roles: s.roles.map((r): Role => ({ ...r, createdAt: T, updatedAt: T, createdBy: who, updatedBy: who })),
    defaultRoles: s.defaultRoles,
    tokens: s.tokens.map((t): ActualToken => ({
      ...t, description: t.description ?? '', shortToken: t.id.slice(-6), kind: 'STANDARD', roles: t.roles ?? [],
      startAt: T, createdAt: T, updatedAt: T,
    })),
  };
}

const FILE = 'examples/astro-access.yaml';
const at = (line: number, col: number): SourceLocation => ({ file: FILE, line, col });
const b = (line: number, token: { name: string } | { id: string }, role: string): DesiredBinding => ({
  at: at(line, 13), subject: { ...token, at: at(line, 'tokenId' in token ? 24 : 22) }, role, roleAt: at(line + 1, 19),
});

function exampleDesired(): Desired {
  const dataPlatform = (line: number) => ({ name: 'Data Platform', at: at(line, 18) });
  const deployments: DesiredDeployment[] = [
    {
      at: at(12, 9), workspace: dataPlatform(10), deployment: { name: 'prod', at: at(12, 21) }, prune: true,
      workspaceTokens: [b(14, { name: 'ci-deployer' }, 'DEPLOYMENT_ADMIN'), b(16, { name: 'dag-reader' }, 'DAG_VIEWER')],
      organizationTokens: [b(19, { name: 'org-observer' }, 'DEPLOYMENT_ADMIN')],
    },
    {
      at: at(21, 9), workspace: dataPlatform(10), deployment: { name: 'staging', at: at(21, 21) }, prune: true,
      workspaceTokens: [b(23, { name: 'ci-deployer' }, 'DEPLOYMENT_ADMIN')],
    },
    { at: at(25, 9), workspace: dataPlatform(10), deployment: { name: 'sandbox', at: at(25, 21) }, prune: true, workspaceTokens: [] },
    {
      at: at(29, 9), workspace: { id: 'co3lwbmun7dq80azqfst40505', at: at(27, 18) },
      deployment: { id: 'c4h0n0au52c1s1disogtvleq5', at: at(29, 23) }, prune: false,
      workspaceTokens: [
        b(32, { name: 'analytics-ci' }, 'ANALYTICS_OPERATOR'),
        b(34, { id: 'c9oxs0ns2epwqt1s0ir2lm4cj' }, 'DEPLOYMENT_ADMIN'),
      ],
    },
  ];
  return {
    organizationId: 'clx42kkcm01fo01o06agtmshg', ignore: ['break-glass-*'], protect: [], deployments,
    files: [FILE], digest: 'e'.repeat(64),
  };
}

describe('the example manifest against the example emulator state', () => {
  const actual = actualFromState('examples/emulator-state.json');
  const { plan, errors } = makePlan(exampleDesired(), actual);

  it('resolves without errors', () => {
    expect(errors).toEqual([]);
    expect(plan).toBeDefined();
  });

  it('plans the expected actions, in order, with sources', () => {
    const lines = plan?.actions.map((a) =>
      [a.deployment.workspaceName, a.deployment.name, a.action, a.subject.name, a.subject.id, a.before ?? '-', a.after ?? '-', a.source ?? '-'].join(' '));
    expect(lines).toEqual([
      `Analytics reporting add analytics-ci catcgffwfonp1ut2t7p826buq - ANALYTICS_OPERATOR ${FILE}:32`,
      `Analytics reporting add shared-bot c9oxs0ns2epwqt1s0ir2lm4cj - DEPLOYMENT_ADMIN ${FILE}:34`,
      `Data Platform prod add dag-reader cbz3zdc316tfolzg42tg3z8eo - DAG_VIEWER ${FILE}:16`,
      `Data Platform prod remove legacy-bot c5xtcoiayo4vt3wrsftdorcif DEPLOYMENT_ADMIN - -`,
      `Data Platform prod add org-observer cw4dinf6dlhxjieb6afp31poi - DEPLOYMENT_ADMIN ${FILE}:19`,
      `Data Platform sandbox remove legacy-bot c5xtcoiayo4vt3wrsftdorcif DEPLOYMENT_ADMIN - -`,
      `Data Platform staging update ci-deployer clz9k2w1q000108mh3tq4a7vd DAG_VIEWER DEPLOYMENT_ADMIN ${FILE}:23`,
    ]);
    expect(plan?.actions.find((a) => a.subject.name === 'org-observer')?.subject.scope).toBe('ORGANIZATION');
  });

  it('reports the unmanaged and ignored bindings and the summary', () => {
    expect(plan?.unmanaged.map((u) => [u.deployment.name, u.subject.name, u.role])).toEqual([['reporting', 'dashboard-refresher', 'DEPLOYMENT_ADMIN']]);
    expect(plan?.ignored.map((u) => [u.deployment.name, u.subject.name, u.reason])).toEqual([
      ['prod', 'break-glass-admin', 'matches ignore pattern "break-glass-*"'],
    ]);
    expect(plan?.summary).toEqual({ add: 4, update: 1, remove: 2, unchanged: 1, unmanaged: 1, ignored: 1 });
    expect(plan?.warnings).toEqual([]);
  });

  it('fingerprints the six affected tokens as read', () => {
    const affected = ['ci-deployer', 'dag-reader', 'legacy-bot', 'analytics-ci', 'org-observer']
      .map((n) => actual.tokens.find((t) => t.name === n))
      .concat(actual.tokens.find((t) => t.id === 'c9oxs0ns2epwqt1s0ir2lm4cj'));
    const expected = Object.fromEntries(affected.map((t) => [t?.id, { fingerprint: fingerprintRoles(t?.roles ?? []) }]));
    expect(plan?.tokens).toEqual(expected);
    expect(Object.keys(plan?.tokens ?? {})).toHaveLength(6);
  });

  it('describes each managed deployment for the guards', () => {
    expect(plan?.deployments.map((d) => [d.workspaceName, d.name, d.managedKinds.join('+'), d.existing, d.desired, d.explicitEmpty, d.source])).toEqual([
      ['Analytics', 'reporting', 'workspace', 1, 3, false, `${FILE}:29`],
      ['Data Platform', 'prod', 'workspace+organization', 2, 3, false, `${FILE}:12`],
      ['Data Platform', 'sandbox', 'workspace', 1, 0, true, `${FILE}:25`],
      ['Data Platform', 'staging', 'workspace', 1, 1, false, `${FILE}:21`],
    ]);
  });

  it('never touches the deployment-scoped token on prod', () => {
    const local = 'cvgc712lwvzimnzc7779youin';
    expect(plan?.actions.some((a) => a.subject.id === local)).toBe(false);
    expect(plan?.unmanaged.some((a) => a.subject.id === local)).toBe(false);
    expect(plan?.ignored.some((a) => a.subject.id === local)).toBe(false);
  });
});
