import { afterEach, expect } from 'vitest';
import { createAstroClient, type AstroClient } from '../../src/astro/client.ts';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import { startEmulator, type Emulator, type EmulatorOptions, type EmulatorState, type StateToken } from '../../src/emulator/index.ts';
import { AstroApiError } from '../../src/errors.ts';

// Builders of emulator states for the client tests.

export const ORG = 'clx42kkcm01fo01o06agtmshg';
export const WS_A = 'cwsaaaaaaaaaaaaaaaaaaaaaa';
export const WS_B = 'cwsbbbbbbbbbbbbbbbbbbbbbb';
export const DEP_A = 'cdepaaaaaaaaaaaaaaaaaaaaa';
export const DEP_B = 'cdepbbbbbbbbbbbbbbbbbbbbb';

/** A cuid-shaped ID: 'c' + 24 characters, unique per (prefix, n). */
export function cuid(prefix: string, n: number): string {
  const body = `${prefix}${n.toString(36)}`;
  return `c${body.padStart(24, '0')}`;
}

/**
 * `count` workspace tokens, alternating between the two workspaces; every 7th has no `roles` field at all
 * (the API may omit it), the others hold their workspace role and a DEPLOYMENT_ADMIN binding.
 */
export function bigState(count: number, orgTokens = 0): EmulatorState {
  const tokens: StateToken[] = [];
  for (let i = 0; i < count; i++) {
    const ws = i % 2 === 0 ? WS_A : WS_B;
    const dep = i % 2 === 0 ? DEP_A : DEP_B;
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
      { id: DEP_A, name: 'prod', workspaceId: WS_A },
      { id: DEP_B, name: 'prod', workspaceId: WS_B },
    ],
    roles: [{ id: cuid('r', 1), name: 'DAG_VIEWER', scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [] }],
    tokens,
  };
}

/** The AstroApiError a promise rejects with (the test fails if it resolves or rejects otherwise). */
export async function failure(p: Promise<unknown>): Promise<AstroApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AstroApiError);
  return err as AstroApiError;
}

/**
 * Per-test emulators and clients on them, all closed after each test. `defaults()` gives a file's own
 * emulator options and client settings; each `setup(opts, config)` call may override either.
 */
export function emulatorClient(
  token: string,
  defaults: () => { emulator: EmulatorOptions; client?: Partial<AstroClientConfig> },
): (opts?: Partial<EmulatorOptions>, config?: Partial<AstroClientConfig>) => Promise<{ emu: Emulator; c: AstroClient }> {
  const open: { emu: Emulator; c: AstroClient }[] = [];
  afterEach(async () => {
    for (const { emu, c } of open.splice(0)) {
      await c.close();
      await emu.close();
    }
  });
  return async (opts = {}, config = {}) => {
    const d = defaults();
    const emu = await startEmulator({ ...d.emulator, ...opts });
    const c = createAstroClient({ baseUrl: emu.url, token, organizationId: ORG, ...d.client, ...config });
    open.push({ emu, c });
    return { emu, c };
  };
}
