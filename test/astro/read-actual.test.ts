import { describe, expect, it } from 'vitest';
import { readOnly } from '../../src/astro/client.ts';
import { readActual } from '../../src/astro/read-actual.ts';
import type { EmulatorOptions } from '../../src/emulator/index.ts';
import { AstroApiError } from '../../src/errors.ts';
import { emulatorClient } from './emulator-fixtures.ts';
import { bigState, cuid, DEP_A1, ORG, WS_A, WS_B } from '../support/emulator-states.ts';

const TOKEN = 'astro_test_token_read_actual_51e0d7a8';

const start = emulatorClient(TOKEN, () => ({ emulator: { state: bigState(2500, 3) }, client: { backoff: { baseMs: 1, maxMs: 10 } } }));
const setup = (opts: Partial<EmulatorOptions> = {}, pageSize?: number) => start(opts, pageSize === undefined ? {} : { pageSize });

const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();

describe('readActual', () => {
  it('reads the whole snapshot with each list page requested exactly once', async () => {
    const { emu, c } = await setup();
    const { actual, warnings } = await readActual(readOnly(c), {});
    const state = emu.state();
    expect(warnings).toEqual([]);
    expect(actual.organizationId).toBe(ORG);
    expect(ids(actual.workspaces)).toEqual(ids(state.workspaces));
    expect(ids(actual.deployments)).toEqual(ids(state.deployments));
    expect(ids(actual.tokens)).toEqual(ids(state.tokens));
    expect(actual.roles.map((r) => r.name)).toEqual(['DAG_VIEWER']);
    expect(actual.tokens.every((t) => Array.isArray(t.roles))).toBe(true);
    // The lower bound: 1 page each of workspaces, deployments, roles; 3 pages of 2,503 tokens; no GET by id.
    expect(emu.log).toHaveLength(6);
    expect(emu.log.every((e) => e.method === 'GET' && e.status === 200)).toBe(true);
    const pages = emu.log.map((e) => `${e.path.split('/').pop()}@${String(e.query['offset'])}`).sort();
    expect(pages).toEqual(['deployments@0', 'roles@0', 'tokens@0', 'tokens@1000', 'tokens@2000', 'workspaces@0']);
  });

  it('reads no user or team unless asked: token-only options make exactly the token-only requests', async () => {
    const state = bigState(2500, 3);
    state.users = [{ id: cuid('u', 1), username: 'ann@example.com' }];
    state.teams = [{ id: cuid('g', 1), name: 'Data' }];
    const { emu, c } = await setup({ state });
    const { actual } = await readActual(readOnly(c), { users: false, teams: false });
    expect('users' in actual).toBe(false);
    expect('teams' in actual).toBe(false);
    const pages = emu.log.map((e) => `${e.path.split('/').pop()}@${String(e.query['offset'])}`).sort();
    expect(pages).toEqual(['deployments@0', 'roles@0', 'tokens@0', 'tokens@1000', 'tokens@2000', 'workspaces@0']);
  });

  it('reads users and teams when asked, organization-wide, every page once, beside the rest', async () => {
    const state = bigState(2500, 3);
    state.users = Array.from({ length: 1200 }, (_, i) => ({
      id: cuid('u', i),
      username: `user-${i}@example.com`,
      deploymentRoles: i % 2 === 0 ? [{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }] : [],
    }));
    state.teams = [{ id: cuid('g', 1), name: 'Data', workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }] }];
    const { emu, c } = await setup({ state });
    const { actual, warnings } = await readActual(readOnly(c), { users: true, teams: true });
    expect(warnings).toEqual([]);
    expect(actual.tokens).toHaveLength(2503);
    expect(ids(actual.users ?? [])).toEqual(ids(state.users));
    expect(actual.users?.find((u) => u.id === cuid('u', 0))?.deploymentRoles).toEqual([{ deploymentId: DEP_A1, role: 'DEPLOYMENT_ADMIN' }]);
    expect(actual.teams).toEqual([expect.objectContaining({ id: cuid('g', 1), workspaceRoles: [{ workspaceId: WS_A, role: 'WORKSPACE_MEMBER' }], dagRoles: [] })]);
    const pages = emu.log.map((e) => `${e.path.split('/').pop()}@${String(e.query['offset'])}`).sort();
    expect(pages).toEqual(['deployments@0', 'roles@0', 'teams@0', 'tokens@0', 'tokens@1000', 'tokens@2000', 'users@0', 'users@1000', 'workspaces@0']);
    expect(emu.log.filter((e) => e.path.endsWith('/users') || e.path.endsWith('/teams')).every((e) => Object.keys(e.query).sort().join() === 'limit,offset')).toBe(true);
  });

  it('reads teams without users when only teams are asked for', async () => {
    const { emu, c } = await setup({ state: { ...bigState(10), teams: [{ id: cuid('g', 1), name: 'Data' }] } });
    const { actual } = await readActual(c, { teams: true });
    expect(actual.users).toBeUndefined();
    expect(ids(actual.teams ?? [])).toEqual([cuid('g', 1)]);
    expect(emu.log.some((e) => e.path.endsWith('/users'))).toBe(false);
  });

  it('reads every page once with small pages too', async () => {
    const { emu, c } = await setup({}, 500);
    const { actual } = await readActual(c, {});
    expect(actual.tokens).toHaveLength(2503);
    expect(emu.log.filter((e) => e.path.endsWith('/tokens'))).toHaveLength(6); // ceil(2503 / 500)
  });

  it('falls back to per-workspace token lists when the organization-wide list is refused, and says so', async () => {
    const { emu, c } = await setup({ forbidOrganizationTokenList: true });
    const { actual, warnings } = await readActual(c, { workspaceIds: [WS_A, WS_B] });
    // What a workspace-filtered list can see: the tokens holding a role on that workspace.
    const visible = emu.state().tokens.filter((t) => (t.roles ?? []).some((r) => r.entityType === 'WORKSPACE'));
    expect(visible.length).toBeGreaterThan(2000);
    expect(ids(actual.tokens)).toEqual(ids(visible));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/403.*per workspace.*2 workspaces/);
    // This emulator refuses every unfiltered list, organization tokens included: the warning must say so.
    expect(warnings[0]).toMatch(/organization tokens could not be listed/);
    const tokenReads = emu.log.filter((e) => e.path.endsWith('/tokens'));
    expect(tokenReads.filter((e) => e.status === 403)).toHaveLength(2); // org-wide, then org-only
    expect(tokenReads.filter((e) => e.query['workspaceId'] === WS_A)).toHaveLength(2); // 1,071 tokens: 2 pages
    expect(tokenReads.filter((e) => e.query['workspaceId'] === WS_B)).toHaveLength(2);
  });

  it('in the fallback uses every listed workspace when no managed workspaces are given', async () => {
    const { c } = await setup({ forbidOrganizationTokenList: true });
    const { actual, warnings } = await readActual(c, {});
    expect(actual.tokens).toHaveLength(2142); // the 2,500 workspace tokens less the 358 without any role
    expect(warnings[0]).toMatch(/2 workspaces/);
  });

  it('in the fallback includes the organization tokens when that list is allowed', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 403, times: 1, method: 'GET', path: 'tokens' }); // only the org-wide list
    const { actual, warnings } = await readActual(c, { workspaceIds: [WS_A] });
    expect(warnings).toEqual([
      'the API token may not list tokens organization-wide (403): tokens were listed per workspace instead (1 workspace), plus the organization tokens',
    ]);
    const orgTokens = actual.tokens.filter((t) => t.scope === 'ORGANIZATION');
    expect(orgTokens).toHaveLength(3);
    expect(actual.tokens.filter((t) => t.scope === 'WORKSPACE').every((t) => t.roles.some((r) => r.entityId === WS_A))).toBe(true);
    expect(emu.log.some((e) => e.query['includeOnlyOrganizationTokens'] === 'true' && e.status === 200)).toBe(true);
  });

  it('passes other errors through', async () => {
    const { emu, c } = await setup();
    emu.fault({ kind: 'status', status: 404, times: 1, path: 'deployments' });
    await expect(readActual(c, {})).rejects.toBeInstanceOf(AstroApiError);
  });
});
