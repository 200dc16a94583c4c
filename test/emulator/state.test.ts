import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokensPaginated, Deployment } from '../../src/astro/types.ts';
import { EmulatorStateError, loadState, startEmulator } from '../../src/emulator/index.ts';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { call, closeAll, start } from './helpers.ts';
import { DEP_A1, ORG, smallState, TOK_WS, WS_A } from '../support/emulator-states.ts';

afterEach(closeAll);

function writeTemp(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'emu-state-')), 'state.json');
  writeFileSync(file, content);
  return file;
}

function problemsOf(input: EmulatorState | string): string[] {
  try {
    loadState(input);
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorStateError);
    return (err as EmulatorStateError).problems;
  }
  throw new Error('expected the state to be refused');
}

describe('loading a state', () => {
  it('fills the missing required fields with deterministic defaults and keeps given ones', () => {
    const s = smallState();
    s.tokens[0] = { ...s.tokens[0], id: TOK_WS, name: 'ws-token', scope: 'WORKSPACE', description: 'mine' };
    const a = loadState(s);
    const b = loadState(smallState());
    const token = a.tokens.find((t) => t.id === TOK_WS);
    expect(token).toMatchObject({
      description: 'mine',
      kind: 'STANDARD',
      shortToken: expect.any(String),
      startAt: '2026-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(b.tokens.find((t) => t.id === TOK_WS)?.description).toBe('');
    const dep = a.deployments.find((d) => d.id === DEP_A1);
    expect(dep).toMatchObject({ status: 'HEALTHY', organizationId: ORG, workspaceName: 'A', isCicdEnforced: false });
    expect(a.workspaces[0]).toMatchObject({ organizationId: ORG, cicdEnforcedDefault: false });
    expect(a.roles[0]).toMatchObject({ restrictedWorkspaceIds: [], createdBy: { id: expect.any(String) } });
    // Deterministic: the same input gives the same normalized deployments.
    expect(loadState(smallState()).deployments).toEqual(b.deployments);
  });

  it('reads a JSON file', () => {
    const file = writeTemp(JSON.stringify(smallState()));
    expect(loadState(file).tokens.map((t) => t.id)).toContain(TOK_WS);
  });

  it('names the place and the problem when the schema refuses the state', () => {
    const s = smallState() as unknown as { tokens: Record<string, unknown>[]; extra?: number };
    s.tokens[1] = { id: 'cx', name: 'x', scope: 'GLOBAL' };
    s.extra = 1;
    const problems = problemsOf(s as unknown as EmulatorState);
    expect(problems).toContainEqual(expect.stringMatching(/^\/tokens\/1\/scope: .*ORGANIZATION, WORKSPACE, DEPLOYMENT/));
    expect(problems).toContainEqual('(top level): unknown property extra');
  });

  it('refuses duplicate IDs and references to unknown workspaces or deployments', () => {
    const s = smallState();
    s.deployments.push({ id: DEP_A1, name: 'again', workspaceId: 'cnowhere' });
    s.tokens.push({ id: 'cnew', name: 'n', scope: 'WORKSPACE', roles: [{ entityType: 'DEPLOYMENT', entityId: 'cghost', role: 'DEPLOYMENT_ADMIN' }] });
    const problems = problemsOf(s);
    expect(problems).toContain(`deployments[3]: duplicate id ${DEP_A1}`);
    expect(problems).toContain('deployments[3] (again): unknown workspaceId cnowhere');
    expect(problems).toContain('tokens[3] (n).roles[0]: unknown DEPLOYMENT cghost');
  });

  it('says so when the file is missing or not JSON', () => {
    expect(problemsOf('/nonexistent/state.json')[0]).toMatch(/cannot read the file/);
    expect(problemsOf(writeTemp('{ nope'))[0]).toMatch(/not valid JSON/);
    expect(() => loadState(writeTemp('{}'))).toThrow(/invalid emulator state .*state\.json/);
  });

  it('makes startEmulator reject an invalid state', async () => {
    await expect(startEmulator({ state: writeTemp('[]') })).rejects.toThrow(EmulatorStateError);
  });
});

describe('serving the state', () => {
  it('serves a token loaded without roles without a roles field', async () => {
    const s = smallState();
    s.tokens.push({ id: 'cnoroles', name: 'bare', scope: 'ORGANIZATION' });
    const emu = await start({ state: s });
    const res = await call<ApiToken>(emu, 'GET', '/tokens/cnoroles');
    expect(res.status).toBe(200);
    expect('roles' in res.json).toBe(false);
  });

  it('state() is a deep copy', async () => {
    const emu = await start();
    emu.state().tokens[0]?.roles?.splice(0);
    expect(emu.state().tokens[0]?.roles?.length).toBe(2);
  });

  it('setState replaces everything', async () => {
    const emu = await start();
    const s = smallState();
    s.tokens = s.tokens.slice(0, 1);
    emu.setState(s);
    const list = await call<ApiTokensPaginated>(emu, 'GET', '/tokens');
    expect(list.json.tokens.map((t) => t.id)).toEqual([TOK_WS]);
  });

  it('mutate changes the served state, filling defaults, and lists see it at once', async () => {
    const emu = await start();
    const before = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?workspaceId=${WS_A}`);
    emu.mutate((s) => {
      s.tokens.push({
        id: 'caddedtoken',
        name: 'added',
        scope: 'WORKSPACE',
        roles: [{ entityType: 'WORKSPACE', entityId: WS_A, role: 'WORKSPACE_MEMBER' }],
      } as ApiToken);
      s.tokens = s.tokens.filter((t) => t.id !== TOK_WS);
      (s.deployments[0] as Deployment).name = 'renamed';
    });
    const after = await call<ApiTokensPaginated>(emu, 'GET', `/tokens?workspaceId=${WS_A}`);
    expect(before.json.tokens.map((t) => t.id)).toEqual([TOK_WS]);
    expect(after.json.tokens.map((t) => t.id)).toEqual(['caddedtoken']);
    expect(after.json.tokens[0]?.kind).toBe('STANDARD');
    expect((await call<Deployment>(emu, 'GET', `/deployments/${DEP_A1}`)).json.name).toBe('renamed');
  });
});
