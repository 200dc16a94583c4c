import { afterEach, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokenRole, SubjectRoles } from '../../src/astro/types.ts';
import type { Emulator, ValidationRule } from '../../src/emulator/index.ts';
import { VALIDATION_RULES } from '../../src/emulator/index.ts';
import { call, closeAll, jwtFor, start } from './helpers.ts';
import { DEP_A1, DEP_A2, DEP_B1, ORG, TOK_DEP, TOK_ORG, TOK_WS, WS_A, WS_B } from '../support/emulator-states.ts';

afterEach(closeAll);

const wsMember: ApiTokenRole = { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' };
const dep = (entityId: string, role = 'DEPLOYMENT_ADMIN'): ApiTokenRole => ({ entityType: 'DEPLOYMENT', entityId, role });

async function post(emu: Emulator, tokenId: string, roles: unknown, token?: string) {
  return call<SubjectRoles & { fieldErrors?: { field: string; code: string }[] }>(emu, 'POST', `/tokens/${tokenId}/roles`, {
    body: { roles },
    ...(token === undefined ? {} : { token }),
  });
}

async function rolesOf(emu: Emulator, tokenId: string): Promise<ApiTokenRole[] | undefined> {
  return (await call<ApiToken>(emu, 'GET', `/tokens/${tokenId}`)).json.roles;
}

describe('POST /tokens/{id}/roles', () => {
  it('replaces the whole list and answers SubjectRoles', async () => {
    const emu = await start();
    const roles: ApiTokenRole[] = [
      { entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_OWNER' },
      wsMember,
      dep(DEP_A1, 'READER'),
      { entityType: 'DAG', entityId: 'etl_daily', role: 'DAG_VIEWER', deploymentId: DEP_A1 },
      { entityType: 'DAG_TAG', entityId: 'finance', role: 'DAG_AUTHOR', deploymentId: DEP_A2 },
    ];
    const res = await post(emu, TOK_ORG, roles);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      organizationRole: 'ORGANIZATION_OWNER',
      workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }],
      deploymentRoles: [{ deploymentId: DEP_A1, role: 'READER' }],
      dagRoles: [
        { deploymentId: DEP_A1, role: 'DAG_VIEWER', dagId: 'etl_daily' },
        { deploymentId: DEP_A2, role: 'DAG_AUTHOR', dagTag: 'finance' },
      ],
    });
    // The WS_B and DEP_B1 entries it held before are gone: the list was replaced, not merged.
    expect(await rolesOf(emu, TOK_ORG)).toEqual(roles);
    expect(await rolesOf(emu, TOK_WS)).toEqual([wsMember, dep(DEP_A1)]);
  });

  it('adds the configured implicit entries of its own, unless the list already has that entity', async () => {
    const implicit: ApiTokenRole = { entityType: 'DAG', entityId: 'server_added', role: 'DAG_VIEWER', deploymentId: DEP_A1 };
    const emu = await start({ implicitRoles: [implicit] });
    const res = await post(emu, TOK_WS, [wsMember, dep(DEP_A2)]);
    expect(res.json.dagRoles).toEqual([{ deploymentId: DEP_A1, role: 'DAG_VIEWER', dagId: 'server_added' }]);
    expect(await rolesOf(emu, TOK_WS)).toEqual([wsMember, dep(DEP_A2), implicit]);
    const own: ApiTokenRole = { ...implicit, role: 'DAG_AUTHOR' };
    await post(emu, TOK_WS, [wsMember, own]);
    expect(await rolesOf(emu, TOK_WS)).toEqual([wsMember, own]);
  });

  it('bumps updatedAt and records the caller as updatedBy', async () => {
    const emu = await start();
    const before = (await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json;
    await post(emu, TOK_WS, [wsMember, dep(DEP_A2)], jwtFor(TOK_ORG));
    const after = (await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json;
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.updatedBy).toMatchObject({ id: TOK_ORG, apiTokenName: 'org-token' });
    // A second write, even within the same millisecond, is later still.
    await post(emu, TOK_WS, [wsMember, dep(DEP_A2)]);
    const again = (await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json;
    expect(Date.parse(again.updatedAt)).toBeGreaterThan(Date.parse(after.updatedAt));
  });

  it('is idempotent: the same POST twice leaves the same roles', async () => {
    const emu = await start();
    const roles = [wsMember, dep(DEP_A2, 'READER')];
    expect((await post(emu, TOK_WS, roles)).status).toBe(200);
    expect((await post(emu, TOK_WS, roles)).status).toBe(200);
    expect(await rolesOf(emu, TOK_WS)).toEqual(roles);
  });

  it('refuses a body that is not JSON or not {roles: [...]}, always', async () => {
    const emu = await start({ validation: Object.fromEntries(VALIDATION_RULES.map((r) => [r, false])) });
    const notJson = await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { rawBody: '{roles:' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.message).toMatch(/not valid JSON/);
    expect((await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles: 'all' } })).status).toBe(400);
    const badEntry = await post(emu, TOK_WS, [{ entityType: 'CLUSTER', entityId: 'x', role: 'R' }]);
    expect(badEntry.status).toBe(400);
    expect(badEntry.json.fieldErrors?.[0]?.field).toBe('roles[0].entityType');
    const dagWithoutDeployment = await post(emu, TOK_WS, [wsMember, { entityType: 'DAG', entityId: 'd', role: 'DAG_VIEWER' }]);
    expect(dagWithoutDeployment.json.fieldErrors?.[0]?.field).toBe('roles[1].deploymentId');
    expect(await rolesOf(emu, TOK_WS)).toEqual([wsMember, dep(DEP_A1)]);
  });
});

// One case per rule: a list that breaks that rule and no other, on the workspace token of A unless noted.
const cases: { rule: ValidationRule; code: string; tokenId: string; roles: ApiTokenRole[]; alsoOff?: ValidationRule[] }[] = [
  { rule: 'emptyList', code: 'EMPTY_ROLES', tokenId: TOK_WS, roles: [], alsoOff: ['missingOwnScopeRole'] },
  { rule: 'duplicateEntity', code: 'DUPLICATE_ENTITY', tokenId: TOK_WS, roles: [wsMember, dep(DEP_A1), dep(DEP_A1, 'READER')] },
  { rule: 'missingOwnScopeRole', code: 'MISSING_SCOPE_ROLE', tokenId: TOK_WS, roles: [dep(DEP_A1)] },
  { rule: 'missingOwnScopeRole', code: 'MISSING_SCOPE_ROLE', tokenId: TOK_WS, roles: [{ ...wsMember, entityId: WS_B }] },
  { rule: 'missingOwnScopeRole', code: 'MISSING_SCOPE_ROLE', tokenId: TOK_ORG, roles: [{ entityType: 'WORKSPACE', entityId: WS_B, role: 'WORKSPACE_AUTHOR' }] },
  { rule: 'missingOwnScopeRole', code: 'MISSING_SCOPE_ROLE', tokenId: TOK_DEP, roles: [dep(DEP_A1)] },
  { rule: 'unknownRole', code: 'UNKNOWN_ROLE', tokenId: TOK_WS, roles: [wsMember, dep(DEP_A1, 'NO_SUCH_ROLE')] },
  { rule: 'unknownRole', code: 'UNKNOWN_ROLE', tokenId: TOK_WS, roles: [{ ...wsMember, role: 'DEPLOYMENT_ADMIN' }] },
  { rule: 'customRoleOutsideWorkspaces', code: 'ROLE_NOT_ALLOWED_IN_WORKSPACE', tokenId: TOK_WS, roles: [wsMember, dep(DEP_A1, 'B_ONLY')] },
  { rule: 'deploymentOfOtherWorkspace', code: 'DEPLOYMENT_NOT_IN_WORKSPACE', tokenId: TOK_WS, roles: [wsMember, dep(DEP_B1)] },
  { rule: 'unknownEntity', code: 'UNKNOWN_ENTITY', tokenId: TOK_WS, roles: [wsMember, dep('cnosuchdeployment00000000')] },
  { rule: 'unknownEntity', code: 'UNKNOWN_ENTITY', tokenId: TOK_ORG, roles: [{ entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' }, { ...wsMember, entityId: 'cghostws' }] },
  { rule: 'roleAboveScope', code: 'ROLE_ABOVE_TOKEN_SCOPE', tokenId: TOK_WS, roles: [wsMember, { entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' }] },
];

describe.each(cases)('validation rule $rule ($code, token $tokenId)', ({ rule, code, tokenId, roles, alsoOff = [] }) => {
  it('on (the default): 400 naming the field, nothing written', async () => {
    const emu = await start();
    const before = await rolesOf(emu, tokenId);
    const res = await post(emu, tokenId, roles);
    expect(res.status).toBe(400);
    expect(res.json.fieldErrors?.map((e) => e.code)).toContain(code);
    expect(res.json.fieldErrors?.every((e) => /^roles/.test(e.field))).toBe(true);
    expect(await rolesOf(emu, tokenId)).toEqual(before);
  });

  it('off: accepted and written', async () => {
    const off = Object.fromEntries([rule, ...alsoOff].map((r) => [r, false]));
    const emu = await start({ validation: off });
    const res = await post(emu, tokenId, roles);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(await rolesOf(emu, tokenId)).toEqual(roles);
  });
});
