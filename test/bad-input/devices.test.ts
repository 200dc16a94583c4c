import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, sentinelToken } from '../support/cli.ts';

// `stat().size` is 0 for devices: a size check before reading would let `-f /dev/zero` read forever.
// The byte cap holds while reading, so each of these ends with a clear error instead of hanging.

const env = { ASTRO_API_TOKEN: sentinelToken(), ASTRO_API_URL: 'http://127.0.0.1:9', ASTRO_ORGANIZATION_ID: 'clx42kkcm01fo01o06agtmshg' };

describe.runIf(existsSync('/dev/zero'))('endless files are refused, not read to the end', () => {
  it.each([
    ['validate', ['validate', '-f', '/dev/zero']],
    ['plan', ['plan', '-f', '/dev/zero']],
  ])('%s -f /dev/zero reports the manifest as too large', async (_name, args) => {
    const r = await runCli(args, { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/dev/zero:1:1: file is too large');
  });

  it('apply /dev/zero reports the plan file as too large', async () => {
    const r = await runCli(['apply', '--auto-approve', '/dev/zero'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/dev/zero: file is too large');
  });

  it('a /proc file (size 0 in stat) is read in full, and refused for what it contains', async () => {
    const r = await runCli(['validate', '-f', '/proc/self/status'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/proc/self/status:');
    expect(r.stderr).not.toContain('file is empty');
  });
});
