import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ApiToken,
  ApiTokensPaginated,
  DeploymentsPaginated,
  RolesPaginated,
  WorkspacesPaginated,
} from '../../src/astro/types.ts';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { call, closeAll, EXAMPLE_STATE, expectApiShape, ROOT, start } from './helpers.ts';

// Every endpoint's answer has the shape of the real API: it validates against schemas/astro-api.schema.json.

afterEach(closeAll);

const example = JSON.parse(readFileSync(EXAMPLE_STATE, 'utf8')) as EmulatorState;
const ORG = example.organization.id;
const opts = { org: ORG };

describe('answers validate against the API schema', () => {
  it('lists and gets tokens', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const list = await call<ApiTokensPaginated>(emu, 'GET', '/tokens?limit=1000', opts);
    expect(list.status).toBe(200);
    expectApiShape('ApiTokensPaginated', list.json);
    expect(list.json.tokens.length).toBe(example.tokens.length);
    for (const t of example.tokens) {
      const one = await call<ApiToken>(emu, 'GET', `/tokens/${t.id}`, opts);
      expect(one.status).toBe(200);
      expectApiShape('ApiToken', one.json);
    }
  });

  it('lists and gets deployments, each with all the required fields', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const list = await call<DeploymentsPaginated>(emu, 'GET', '/deployments?limit=1000', opts);
    expectApiShape('DeploymentsPaginated', list.json);
    expect(list.json.deployments.length).toBe(example.deployments.length);
    for (const d of example.deployments) {
      const one = await call(emu, 'GET', `/deployments/${d.id}`, opts);
      expect(one.status).toBe(200);
      expectApiShape('Deployment', one.json);
    }
  });

  it('lists workspaces', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const list = await call<WorkspacesPaginated>(emu, 'GET', '/workspaces', opts);
    expectApiShape('WorkspacesPaginated', list.json);
    expect(list.json.workspaces.map((w) => w.name).sort()).toEqual(example.workspaces.map((w) => w.name).sort());
  });

  it('lists roles with the default roles', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const list = await call<RolesPaginated>(emu, 'GET', '/roles?scopeTypes=DEPLOYMENT&includeDefaultRoles=true', opts);
    expectApiShape('RolesPaginated', list.json);
    expect(list.json.defaultRoles?.map((r) => r.name)).toContain('DEPLOYMENT_ADMIN');
  });

  it('answers a roles POST with SubjectRoles', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const token = example.tokens.find((t) => t.name === 'dag-reader');
    expect(token).toBeDefined();
    const res = await call(emu, 'POST', `/tokens/${token?.id}/roles`, { ...opts, body: { roles: token?.roles } });
    expect(res.status).toBe(200);
    expectApiShape('SubjectRoles', res.json);
  });

  it('answers errors with {message, requestId, statusCode}', async () => {
    const emu = await start({ state: EXAMPLE_STATE });
    const answers = [
      await call(emu, 'GET', '/tokens', { ...opts, token: null }),
      await call(emu, 'GET', '/tokens/cnosuchtoken0000000000000', opts),
      await call(emu, 'GET', '/tokens?limit=-1', opts),
      await call(emu, 'POST', `/tokens/${example.tokens[0]?.id}/roles`, { ...opts, body: { roles: [] } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 404, 400, 400]);
    for (const a of answers) expectApiShape('Error', a.json);
  });
});

describe('the state schema', () => {
  it('accepts the example state file', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormatsModule.default(ajv);
    const schema = JSON.parse(readFileSync(resolve(ROOT, 'schemas/emulator-state.schema.json'), 'utf8')) as object;
    const validate = ajv.compile(schema);
    expect(validate(example), ajv.errorsText(validate.errors)).toBe(true);
  });
});
