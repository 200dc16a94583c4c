import type { SubjectRoleSet } from '../../src/astro/types.ts';
import type { EmulatorState, StateToken } from '../../src/emulator/index.ts';

// Emulator states built in code, shared by the client tests (test/astro) and the emulator tests
// (test/emulator): one organization skeleton, its IDs, and the states built on it.

export const ORG = 'corg000000000000000000001';
export const WS_A = 'cwsa00000000000000000000a';
export const WS_B = 'cwsb00000000000000000000b';
export const DEP_A1 = 'cdepa1000000000000000000a';
export const DEP_A2 = 'cdepa2000000000000000000a';
export const DEP_B1 = 'cdepb1000000000000000000b';
export const TOK_WS = 'ctokws000000000000000000a';
export const TOK_ORG = 'ctokorg00000000000000000a';
export const TOK_DEP = 'ctokdep00000000000000000a';
export const ANN = 'cuserann0000000000000000a';
export const BOB = 'cuserbob0000000000000000b';
export const CY = 'cusercy00000000000000000c';
export const DATA = 'cteamdata000000000000000a';
export const OPS = 'cteamops0000000000000000b';

/** A cuid-shaped ID: 'c' + 24 characters, unique per (prefix, n). */
export function cuid(prefix: string, n: number): string {
  const body = `${prefix}${n.toString(36)}`;
  return `c${body.padStart(24, '0')}`;
}

/** A small organization: two workspaces, three deployments, a custom role restricted to B, three tokens. */
export function smallState(): EmulatorState {
  return {
    organization: { id: ORG, name: 'Test Org' },
    workspaces: [
      { id: WS_A, name: 'A' },
      { id: WS_B, name: 'B' },
    ],
    deployments: [
      { id: DEP_A1, name: 'a1', workspaceId: WS_A },
      { id: DEP_A2, name: 'a2', workspaceId: WS_A },
      { id: DEP_B1, name: 'b1', workspaceId: WS_B },
    ],
    roles: [
      { id: 'crolereader00000000000000a', name: 'READER', scopeType: 'DEPLOYMENT' },
      { id: 'crolebonly00000000000000b', name: 'B_ONLY', scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [WS_B] },
    ],
    tokens: [
      {
        id: TOK_WS,
        name: 'ws-token',
        scope: 'WORKSPACE',
        roles: [
          { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
          { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' },
        ],
      },
      {
        id: TOK_ORG,
        name: 'org-token',
        scope: 'ORGANIZATION',
        roles: [
          { entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' },
          { entityType: 'WORKSPACE', entityId: WS_B, role: 'WORKSPACE_AUTHOR' },
          { entityType: 'DEPLOYMENT', entityId: DEP_B1, role: 'B_ONLY' },
        ],
      },
      {
        id: TOK_DEP,
        name: 'dep-token',
        scope: 'DEPLOYMENT',
        roles: [{ entityType: 'DEPLOYMENT', entityId: DEP_A2, role: 'DEPLOYMENT_ADMIN' }],
      },
    ],
  };
}

/** `n` workspace tokens in workspace A (ids ordered as generated), plus the small state. */
export function manyTokens(n: number): EmulatorState {
  const s = smallState();
  for (let i = 0; i < n; i++) {
    s.tokens.push({
      id: `cgen${String(i).padStart(21, '0')}`,
      name: `gen-${String(i % 97).padStart(3, '0')}`,
      scope: 'WORKSPACE',
      roles: [
        { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
        { entityType: 'DEPLOYMENT', entityId: i % 2 === 0 ? DEP_A1 : DEP_A2, role: 'DEPLOYMENT_ADMIN' },
      ],
    });
  }
  return s;
}

/**
 * One deployment named "prod" in each workspace (DEP_A1 in A, DEP_B1 in B), a custom DAG_VIEWER role, and
 * `count` workspace tokens alternating between the two workspaces; every 7th has no `roles` field at all
 * (the API may omit it), the others hold their workspace role and a DEPLOYMENT_ADMIN binding. Plus
 * `orgTokens` organization tokens.
 */
export function bigState(count: number, orgTokens = 0): EmulatorState {
  const tokens: StateToken[] = [];
  for (let i = 0; i < count; i++) {
    const ws = i % 2 === 0 ? WS_A : WS_B;
    const dep = i % 2 === 0 ? DEP_A1 : DEP_B1;
    const token: StateToken = { id: cuid('t', i), name: `token-${i}`, scope: 'WORKSPACE' };
    if (i % 7 !== 0) {
      token.roles = [
        { entityType: 'WORKSPACE', entityId: ws, role: 'WORKSPACE_MEMBER' },
        { entityType: 'DEPLOYMENT', entityId: dep, role: 'DEPLOYMENT_ADMIN' },
      ];
    }
    tokens.push(token);
  }
  for (let i = 0; i < orgTokens; i++) {
    tokens.push({
      id: cuid('o', i),
      name: `org-token-${i}`,
      scope: 'ORGANIZATION',
      roles: [{ entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' }],
    });
  }
  return {
    organization: { id: ORG, name: 'Test Org' },
    workspaces: [
      { id: WS_A, name: 'A' },
      { id: WS_B, name: 'B' },
    ],
    deployments: [
      { id: DEP_A1, name: 'prod', workspaceId: WS_A },
      { id: DEP_B1, name: 'prod', workspaceId: WS_B },
    ],
    roles: [{ id: cuid('r', 1), name: 'DAG_VIEWER', scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [] }],
    tokens,
  };
}

/**
 * The small state with three users and two teams: ANN with roles of every kind on both workspaces, BOB
 * an organization owner with a workspace role, CY pending and without an organization role (null);
 * the team DATA with a workspace and a deployment role, OPS IdP-managed, an organization owner.
 */
export function subjectsState(): EmulatorState {
  const s = smallState();
  s.users = [
    {
      id: ANN, username: 'ann@example.com', fullName: 'Ann', createdAt: '2026-01-03T00:00:00Z',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }, { workspaceId: WS_B, role: 'WORKSPACE_OWNER' }],
      deploymentRoles: [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }, { deploymentId: DEP_B1, role: 'B_ONLY' }],
      dagRoles: [{ deploymentId: DEP_A1, dagId: 'etl', role: 'DAG_VIEWER' }],
    },
    {
      id: BOB, username: 'bob@example.com', organizationRole: 'ORGANIZATION_OWNER', createdAt: '2026-01-02T00:00:00Z',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }],
    },
    { id: CY, username: 'cy@example.com', status: 'PENDING', organizationRole: null, createdAt: '2026-01-01T00:00:00Z' },
  ];
  s.teams = [
    {
      id: DATA, name: 'Data', description: 'data people',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_AUTHOR' }],
      deploymentRoles: [{ deploymentId: DEP_A2, role: 'READER' }],
    },
    { id: OPS, name: 'Ops', isIdpManaged: true, organizationRole: 'ORGANIZATION_OWNER' },
  ];
  return s;
}

/**
 * `users` users and `teams` teams beside the subjects state's, with IDs cuid('u', i) / cuid('g', i):
 * every 3rd with no role below the organization, the others a workspace role on A and a deployment role
 * on DEP_A1 (users every 5th a DAG_TAG role there too).
 */
export function manySubjects(users: number, teams: number): EmulatorState {
  const s = subjectsState();
  const roles = (i: number): SubjectRoleSet =>
    i % 3 === 0
      ? {}
      : {
          workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }],
          deploymentRoles: [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }],
        };
  for (let i = 0; i < users; i++) {
    const dag = i % 5 === 0 && i % 3 !== 0 ? { dagRoles: [{ deploymentId: DEP_A1, dagTag: 'nightly', role: 'DAG_AUTHOR' }] } : {};
    s.users?.push({ id: cuid('u', i), username: `user-${i}@example.com`, ...roles(i), ...dag });
  }
  for (let i = 0; i < teams; i++) s.teams?.push({ id: cuid('g', i), name: `team-${i}`, ...roles(i) });
  return s;
}
