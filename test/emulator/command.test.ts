import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, tempDir } from '../support/cli.ts';
import { EXAMPLE_STATE, ROOT } from './helpers.ts';

// The command runs as its own process, `astro-access emulator` of the compiled CLI, from a folder
// that is not the package's (the default state is found beside the package, not in the cwd).
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI_BIN, 'emulator', ...args], { cwd: tempDir(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const listening = new Promise<string>((done, fail) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1] !== undefined) done(m[1]);
    });
    void exit.then(() => fail(new Error(`exited before listening: ${stderr}`)));
  });
  listening.catch(() => undefined); // awaited only by the tests that expect it to listen
  return { child, exit, listening, out: () => ({ stdout, stderr }) };
}

describe('astro-access emulator', () => {
  it('prints the URL with the chosen port for --port 0, serves, and stops cleanly on SIGTERM', async () => {
    const p = run(['--port', '0', '--state', EXAMPLE_STATE]);
    const url = await p.listening;
    expect(p.out().stdout).toMatch(/^Astro API emulator listening on http:\/\/127\.0\.0\.1:[1-9]\d*\/v1\n$/);
    const res = await request(`${url}/organizations/clx42kkcm01fo01o06agtmshg/workspaces`, { headers: { authorization: 'Bearer x' } });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.out().stderr).toContain('stopped');
  });

  it('stops cleanly on SIGINT, with the default state', async () => {
    const p = run(['--port', '0', '--token', 'SECRET-TOKEN-42']);
    const url = await p.listening;
    const res = await request(`${url}/organizations/clx42kkcm01fo01o06agtmshg/tokens`, { headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(401);
    await res.body.text();
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(JSON.stringify(p.out())).not.toContain('SECRET-TOKEN-42');
  });

  it('injects faults given with --fault', async () => {
    const p = run(['--port', '0', '--fault', '{"kind":"status","status":503,"times":1,"path":"/workspaces"}']);
    const url = await p.listening;
    const get = async () => {
      const res = await request(`${url}/organizations/clx42kkcm01fo01o06agtmshg/workspaces`, { headers: { authorization: 'Bearer x' } });
      await res.body.text();
      return res.statusCode;
    };
    expect(await get()).toBe(503);
    expect(await get()).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('prints help with --help', async () => {
    const r = await runCli(['emulator', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: astro-access emulator/);
  });

  // Option checks need no server or signal: the same command, run in this process through the CLI's main.
  it('exits 1 with a clear message on a bad option or a bad state file', async () => {
    const emulator = (...args: string[]) => runCli(['emulator', ...args]);
    const badPort = await emulator('--port', 'eighty');
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/--port must be a non-negative integer/);
    const badFault = await emulator('--fault', '{"kind":"meteor"}');
    expect(badFault.code).toBe(1);
    expect(badFault.stderr).toMatch(/--fault must be a JSON object with a kind/);
    const noTimes = await emulator('--fault', '{"kind":"status","status":503}');
    expect(noTimes.code).toBe(1);
    expect(noTimes.stderr).toMatch(/--fault must be a JSON object with times \(number\) for kind status/);
    const noSubject = await emulator('--fault', '{"kind":"foreignWrite"}');
    expect(noSubject.code).toBe(1);
    expect(noSubject.stderr).toMatch(/with tokenId \(string\), roles \(array\) or userId \(string\), set \(object\) or teamId \(string\), set \(object\) for kind foreignWrite/);
    const badSet = await emulator('--fault', '{"kind":"foreignWrite","teamId":"t1","set":{"workspaceRoles":[]}}');
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toMatch(/--fault set: invalid roles: organizationRole/);
    const unknown = await emulator('--bogus');
    expect(unknown.code).toBe(1);
    const badState = await emulator('--state', resolve(ROOT, 'package.json'));
    expect(badState.code).toBe(1);
    expect(badState.stderr).toMatch(/invalid emulator state .*package\.json/);
  });
});
