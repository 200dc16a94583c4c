import { afterEach, describe, expect, it } from 'vitest';
import type { ApiTokensPaginated, DeploymentsPaginated, RolesPaginated } from '../../src/astro/types.ts';
import type { Emulator } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { DEP_A1, DEP_A2, DEP_B1, smallState, TOK_DEP, TOK_ORG, TOK_WS, WS_A, WS_B } from '../support/emulator-states.ts';

afterEach(closeAll);

async function tokenIds(emu: Emulator, query: string): Promise<string[]> {
  const res = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?${query}`);
  expect(res.status, query).toBe(200);
  expect(res.json.totalCount).toBe(res.json.tokens.length);
  return res.json.tokens.map((t) => t.id).sort();
}

async function deploymentNames(emu: Emulator, query: string): Promise<string[]> {
  const res = await call<DeploymentsPaginated>(emu, 'GET', `/deployments?${query}`);
  expect(res.status, query).toBe(200);
  return res.json.deployments.map((d) => d.name).sort();
}

describe('token filters', () => {
  it('workspaceId: the tokens holding a role on that workspace (its workspace tokens, and organization tokens added to it)', async () => {
    const emu = await start();
    expect(await tokenIds(emu, `workspaceId=${WS_A}`)).toEqual([TOK_WS]);
    expect(await tokenIds(emu, `workspaceId=${WS_B}`)).toEqual([TOK_ORG]);
  });

  it('deploymentId: the tokens holding a role on that deployment, of any scope', async () => {
    const emu = await start();
    expect(await tokenIds(emu, `deploymentId=${DEP_A1}`)).toEqual([TOK_WS]);
    expect(await tokenIds(emu, `deploymentId=${DEP_A2}`)).toEqual([TOK_DEP]);
    expect(await tokenIds(emu, `deploymentId=${DEP_B1}`)).toEqual([TOK_ORG]);
  });

  it('includeOnlyOrganizationTokens, alone and combined', async () => {
    const emu = await start();
    expect(await tokenIds(emu, 'includeOnlyOrganizationTokens=true')).toEqual([TOK_ORG]);
    expect(await tokenIds(emu, 'includeOnlyOrganizationTokens=false')).toEqual([TOK_WS, TOK_ORG, TOK_DEP].sort());
    expect(await tokenIds(emu, `includeOnlyOrganizationTokens=true&workspaceId=${WS_A}`)).toEqual([]);
    expect((await call(emu, 'GET', '/tokens?includeOnlyOrganizationTokens=yes')).status).toBe(400);
  });

  it('kind', async () => {
    const s = smallState();
    s.tokens.push({ id: 'cdirect', name: 'direct', scope: 'ORGANIZATION', kind: 'DIRECT_ACCESS', roles: [] });
    const emu = await start({ state: s });
    expect(await tokenIds(emu, 'kind=DIRECT_ACCESS')).toEqual(['cdirect']);
  });

  it('answers 404 for a filter on an unknown workspace or deployment', async () => {
    const emu = await start();
    expect((await call(emu, 'GET', '/tokens?workspaceId=cghost')).status).toBe(404);
    expect((await call(emu, 'GET', '/tokens?deploymentId=cghost')).status).toBe(404);
  });

  it('reflects a roles POST in the next filtered list', async () => {
    const emu = await start();
    expect(await tokenIds(emu, `deploymentId=${DEP_A2}`)).toEqual([TOK_DEP]);
    const roles = [
      { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' },
      { entityType: 'DEPLOYMENT', entityId: DEP_A2, role: 'READER' },
    ];
    expect((await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles } })).status).toBe(200);
    expect(await tokenIds(emu, `deploymentId=${DEP_A2}`)).toEqual([TOK_WS, TOK_DEP].sort());
    expect(await tokenIds(emu, `deploymentId=${DEP_A1}`)).toEqual([]);
  });
});

describe('deployment filters (repeated keys)', () => {
  it('workspaceIds, deploymentIds and names, combined with AND', async () => {
    const emu = await start();
    expect(await deploymentNames(emu, `workspaceIds=${WS_A}`)).toEqual(['a1', 'a2']);
    expect(await deploymentNames(emu, `workspaceIds=${WS_A}&workspaceIds=${WS_B}`)).toEqual(['a1', 'a2', 'b1']);
    expect(await deploymentNames(emu, `deploymentIds=${DEP_A1}&deploymentIds=${DEP_B1}`)).toEqual(['a1', 'b1']);
    expect(await deploymentNames(emu, 'names=a2&names=b1')).toEqual(['a2', 'b1']);
    expect(await deploymentNames(emu, `names=a2&names=b1&workspaceIds=${WS_B}`)).toEqual(['b1']);
    expect(await deploymentNames(emu, 'names=nope')).toEqual([]);
  });
});

describe('role filters', () => {
  it('scopeTypes filters the custom roles; defaultRoles only with includeDefaultRoles', async () => {
    const s = smallState();
    s.roles?.push({ id: 'cwsrole', name: 'WS_CUSTOM', scopeType: 'WORKSPACE' });
    const emu = await start({ state: s });
    const dep = await call<RolesPaginated>(emu, 'GET', '/roles?scopeTypes=DEPLOYMENT');
    expect(dep.json.roles.map((r) => r.name).sort()).toEqual(['B_ONLY', 'READER']);
    expect(dep.json.defaultRoles).toBeUndefined();
    const all = await call<RolesPaginated>(emu, 'GET', '/roles');
    expect(all.json.totalCount).toBe(3);
    const withDefaults = await call<RolesPaginated>(emu, 'GET', '/roles?scopeTypes=DEPLOYMENT&includeDefaultRoles=true');
    expect(withDefaults.json.defaultRoles?.map((r) => r.name)).toEqual(['DEPLOYMENT_ADMIN', 'DEPLOYMENT_ACCESSOR']);
    const both = await call<RolesPaginated>(emu, 'GET', '/roles?scopeTypes=DEPLOYMENT&scopeTypes=WORKSPACE&includeDefaultRoles=true');
    expect(both.json.roles).toHaveLength(3);
    expect(both.json.defaultRoles?.map((r) => r.name)).toContain('WORKSPACE_MEMBER');
    expect((await call(emu, 'GET', '/roles?scopeTypes=GALAXY')).status).toBe(400);
  });

  it('lists the default roles the state file gives, and accepts them (and only them) in a roles write', async () => {
    const s = smallState();
    s.defaultRoles = [
      { name: 'WORKSPACE_MEMBER', scopeType: 'WORKSPACE' },
      { name: 'DEPLOYMENT_ADMIN', scopeType: 'DEPLOYMENT' },
      { name: 'DEPLOYMENT_OBSERVER', scopeType: 'DEPLOYMENT' },
    ];
    const emu = await start({ state: s });
    const listed = await call<RolesPaginated>(emu, 'GET', '/roles?scopeTypes=DEPLOYMENT&includeDefaultRoles=true');
    expect(listed.json.defaultRoles?.map((r) => r.name)).toEqual(['DEPLOYMENT_ADMIN', 'DEPLOYMENT_OBSERVER']);
    const token = s.tokens.find((t) => t.scope === 'WORKSPACE');
    const home = token?.roles?.find((r) => r.entityType === 'WORKSPACE');
    const dep = s.deployments.find((d) => d.workspaceId === home?.entityId);
    const write = (role: string) =>
      call(emu, 'POST', `/tokens/${token?.id}/roles`, {
        body: { roles: [home, { entityType: 'DEPLOYMENT', entityId: dep?.id, role }] },
      });
    expect((await write('DEPLOYMENT_OBSERVER')).status).toBe(200);
    expect((await write('DEPLOYMENT_ACCESSOR')).status).toBe(400);
  });
});
