import { afterEach, expect } from 'vitest';
import { createAstroClient, type AstroClient } from '../../src/astro/client.ts';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { AstroApiError } from '../../src/errors.ts';
import { ORG } from '../support/emulator-states.ts';

// The client tests' setup: emulators and clients on them (the states: test/support/emulator-states.ts).

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
