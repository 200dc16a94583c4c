import { afterEach, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokensPaginated, WorkspacesPaginated } from '../../src/astro/types.ts';
import { call, closeAll, start } from './helpers.ts';
import { DEP_A1, DEP_A2, smallState, TOK_DEP, TOK_ORG, TOK_WS, WS_A, WS_B } from '../support/emulator-states.ts';

// The emulator is as strict as astro-api.md says the API is: values a list does not document are 400s,
// not silently ignored, and the documented filters all work.

afterEach(closeAll);

const wsMember = { entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' } as const;
const dag = (id: string, deploymentId: string) => ({ entityType: 'DAG', entityId: id, role: 'DAG_VIEWER', deploymentId }) as const;
const dagTag = (tag: string, deploymentId: string) => ({ entityType: 'DAG_TAG', entityId: tag, role: 'DAG_VIEWER', deploymentId }) as const;

function withDagRoles() {
  const s = smallState();
  const ws = s.tokens.find((t) => t.id === TOK_WS);
  ws?.roles?.push(dag('etl_daily', DEP_A1), dagTag('finance', DEP_A1));
  s.tokens.push({
    id: 'ctokdagtag000000000000000',
    name: 'tagged',
    scope: 'WORKSPACE',
    roles: [wsMember, { entityType: 'DEPLOYMENT', entityId: DEP_A2, role: 'DEPLOYMENT_ADMIN' }, dagTag('marketing', DEP_A2)],
  });
  return s;
}

async function ids(emu: Awaited<ReturnType<typeof start>>, query: string): Promise<string[]> {
  const res = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?${query}`);
  expect(res.status, query).toBe(200);
  return res.json.tokens.map((t) => t.id).sort();
}

describe('values a list does not document are 400s', () => {
  it('kind, scopeTypes', async () => {
    const emu = await start();
    for (const path of ['/tokens?kind=SUPER', '/tokens?kind=standard', '/roles?scopeTypes=SYSTEM', '/roles?scopeTypes=DEPLOYMENT&scopeTypes=CLUSTER']) {
      const res = await call(emu, 'GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json.fieldErrors?.[0]?.field, path).toBe(path.includes('kind') ? 'kind' : 'scopeTypes');
    }
    expect((await call(emu, 'GET', '/tokens?kind=STANDARD')).status).toBe(200);
    expect((await call(emu, 'GET', '/roles?scopeTypes=DAG&scopeTypes=WORKSPACE')).status).toBe(200);
  });
});

describe('documented filters', () => {
  it('tokens: dagId and dagTags (repeated) select the tokens holding such DAG roles', async () => {
    const emu = await start({ state: withDagRoles() });
    expect(await ids(emu, 'dagId=etl_daily')).toEqual([TOK_WS]);
    expect(await ids(emu, 'dagId=finance')).toEqual([]); // a tag is not a DAG
    expect(await ids(emu, 'dagTags=finance')).toEqual([TOK_WS]);
    expect(await ids(emu, 'dagTags=finance&dagTags=marketing')).toEqual(['ctokdagtag000000000000000', TOK_WS].sort());
    expect(await ids(emu, `dagTags=marketing&deploymentId=${DEP_A1}`)).toEqual([]);
    expect(await ids(emu, 'dagTags=nothing')).toEqual([]);
    expect(await ids(emu, '')).toEqual([TOK_WS, TOK_ORG, TOK_DEP, 'ctokdagtag000000000000000'].sort());
  });

  it('workspaces: workspaceIds and names (repeated keys, combined with AND)', async () => {
    const emu = await start();
    const names = async (q: string) => (await call<WorkspacesPaginated>(emu, 'GET', `/workspaces?${q}`)).json.workspaces.map((w) => w.name).sort();
    expect(await names(`workspaceIds=${WS_B}`)).toEqual(['B']);
    expect(await names(`workspaceIds=${WS_A}&workspaceIds=${WS_B}`)).toEqual(['A', 'B']);
    expect(await names('names=A')).toEqual(['A']);
    expect(await names(`names=A&workspaceIds=${WS_B}`)).toEqual([]);
    expect(await names('')).toEqual(['A', 'B']);
  });
});

describe('the DAG rule (dagRoleNeedsDeploymentRole), off by default', () => {
  const noDeploymentRole = [wsMember, dag('etl_daily', DEP_A1)];

  it('on: a DAG or DAG_TAG entry on a deployment without a DEPLOYMENT role there is a 400, nothing written', async () => {
    const emu = await start({ state: withDagRoles(), validation: { dagRoleNeedsDeploymentRole: true } });
    for (const roles of [noDeploymentRole, [wsMember, dagTag('finance', DEP_A1)]]) {
      const res = await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles } });
      expect(res.status).toBe(400);
      expect(res.json.fieldErrors?.map((e) => e.code)).toEqual(['DAG_ROLE_WITHOUT_DEPLOYMENT_ROLE']);
    }
    expect((await call<ApiToken>(emu, 'GET', `/tokens/${TOK_WS}`)).json.roles).toContainEqual({ entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ADMIN' });
    // With the deployment role kept, the same DAG entries are fine.
    const ok = await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, {
      body: { roles: [...noDeploymentRole, { entityType: 'DEPLOYMENT', entityId: DEP_A1, role: 'DEPLOYMENT_ACCESSOR' }] },
    });
    expect(ok.status).toBe(200);
  });

  it('off (the default): accepted', async () => {
    const emu = await start({ state: withDagRoles() });
    expect((await call(emu, 'POST', `/tokens/${TOK_WS}/roles`, { body: { roles: noDeploymentRole } })).status).toBe(200);
  });
});
