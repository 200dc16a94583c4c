import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/index.ts';
import { runCli, sentinelToken, tempDir, type CliResult } from '../support/cli.ts';

// The hostile-text corpus, through every command: names with ESC/OSC sequences, CR, line breaks that
// start `::error` or `FAKE`, bidi overrides, NUL, DEL and C1; API messages and request IDs that echo the
// token; an HTML error body longer than any excerpt with the token where the cut falls. Nothing printed
// or written may hold a raw control character or any 8-character fragment of the token.

const TOKEN = sentinelToken();
const ORG = 'clx42kkcm01fo01o06agtmshg';
const WS = 'cwsaaaaaaaaaaaaaaaaaaaaaa';
const DEP = 'cdepaaaaaaaaaaaaaaaaaaaaa';
const T_BOUND = 'ctokaaaaaaaaaaaaaaaaaaaaa';
const T_NEW = 'ctokbbbbbbbbbbbbbbbbbbbbb';
const T_ORG = 'ctokccccccccccccccccccccc';
const T_FAIL = 'ctokddddddddddddddddddddd';

const EVIL = {
  workspace: 'Data\x1b]0;pwned\x07 Platform\u202e',
  deployment: 'prod\r\nFAKE: Plan: 0 to add\x1b[2J',
  bound: 'ci\x1b[31m\n::error file=x::pwned\x00\x7f\x85\u200b',
  fresh: `bot ${TOKEN} \u2066x\u2069`,
  org: '\u202eorg\x9b2J\x1b[?25l',
  failing: '\x1bPtmux;\x1b\x1b]52;c;cHduZWQ=\x07\x1b\\',
  role: 'ROLE\x1b[2J\nFAKE',
  fullName: `Mallory\x1b]0;pwned\x07\r\nFAKE ${TOKEN}`,
  email: 'mal\u202eory\x1b[2J@example.com',
  team: 'Ops\u2066\n::error ::x\u2069',
  teamDescription: `desc\x9b2J\u200b\x00\x7f ${TOKEN}`,
};

function state(): EmulatorState {
  const own = { entityType: 'WORKSPACE' as const, entityId: WS, role: 'WORKSPACE_MEMBER' };
  return {
    organization: { id: ORG, name: 'Org' },
    workspaces: [{ id: WS, name: EVIL.workspace }],
    deployments: [{ id: DEP, name: EVIL.deployment, workspaceId: WS }],
    roles: [{ id: 'croleaaaaaaaaaaaaaaaaaaaa', name: EVIL.role, scopeType: 'DEPLOYMENT', restrictedWorkspaceIds: [] }],
    tokens: [
      { id: T_BOUND, name: EVIL.bound, scope: 'WORKSPACE', description: `desc ${TOKEN}\x1b[1m`, roles: [own, { entityType: 'DEPLOYMENT', entityId: DEP, role: 'DEPLOYMENT_ADMIN' }] },
      { id: T_NEW, name: EVIL.fresh, scope: 'WORKSPACE', roles: [own] },
      { id: T_FAIL, name: EVIL.failing, scope: 'WORKSPACE', roles: [own] },
      { id: T_ORG, name: EVIL.org, scope: 'ORGANIZATION', roles: [{ entityType: 'ORGANIZATION', entityId: ORG, role: 'ORGANIZATION_MEMBER' }, { entityType: 'DEPLOYMENT', entityId: DEP, role: EVIL.role }] },
    ],
    users: [{ id: 'cuseraaaaaaaaaaaaaaaaaaaa', username: EVIL.email, fullName: EVIL.fullName, deploymentRoles: [{ deploymentId: DEP, role: 'DEPLOYMENT_ADMIN' }] }],
    teams: [{ id: 'cteamaaaaaaaaaaaaaaaaaaaa', name: EVIL.team, description: EVIL.teamDescription, deploymentRoles: [{ deploymentId: DEP, role: EVIL.role }] }],
  };
}

const MANIFEST = `version: 1
organizationId: ${ORG}
workspaces:
  - workspaceId: ${WS}
    deployments:
      - deploymentId: ${DEP}
        workspaceTokens:
          - tokenId: ${T_BOUND}
            role: "ROLE\\e[2J\\nFAKE"
          - tokenId: ${T_NEW}
            role: DEPLOYMENT_ADMIN
          - tokenId: ${T_FAIL}
            role: DEPLOYMENT_ADMIN
        organizationTokens:
          - tokenId: ${T_ORG}
            role: "ROLE\\e[2J\\nFAKE"
`;

/** Manifests whose own values are hostile: quoted in diagnostics, never echoed raw. */
const BAD_MANIFEST = `version: 1
organizationId: ${ORG}
"\\e]0;pwned\\a\\nFAKE": 1
workspaces:
  - workspace: "W\\e[2J\\r\\n::error ::x\\u202e${TOKEN}"
    deployments:
      - deployment: "d\\x9b\\x7f"
        workspaceTokens:
          - token: "t\\0"
            role: DEPLOYMENT_ADMIN
`;

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every 8-character fragment of the token. */
const FRAGMENTS = Array.from({ length: TOKEN.length - 7 }, (_, i) => TOKEN.slice(i, i + 8));

function expectClean(where: string, text: string): void {
  const raw = RAW_CONTROL.exec(text);
  expect(raw, `${where}: raw U+${raw?.[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(text.slice(Math.max(0, (raw?.index ?? 0) - 40), (raw?.index ?? 0) + 40))}`).toBeNull();
  const leaked = FRAGMENTS.find((f) => text.includes(f));
  expect(leaked, `${where}: a fragment of the token`).toBeUndefined();
  // No line of ours may start with a forged marker taken from a value.
  for (const line of text.split('\n')) expect(line, where).not.toMatch(/^(FAKE|::error)/);
}

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('the hostile-text corpus through every command', () => {
  it('plan, apply, list, export and validate print and write nothing raw and no fragment of the token', async () => {
    emulator = await startEmulator({ state: state(), validation: { unknownRole: false } });
    const dir = tempDir();
    const manifest = join(dir, 'astro-access.yaml');
    const bad = join(dir, 'bad.yaml');
    const rawCtl = join(dir, 'raw-control.yaml');
    writeFileSync(manifest, MANIFEST);
    writeFileSync(bad, BAD_MANIFEST);
    writeFileSync(rawCtl, MANIFEST.replace('version: 1', 'version: 1 # \x1b]0;pwned\x07'));
    const env = { ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: TOKEN, ASTRO_ORGANIZATION_ID: ORG };
    const outputs: [string, CliResult][] = [];
    // In this process (main() on captured streams, the bin's code path), except one run of the compiled
    // CLI as its own process, so output written past the streams main() is given would show there too.
    const run = async (args: string[], extra: NodeJS.ProcessEnv = {}, process = false) => {
      const r = await runCli(args, { env: { ...env, ...extra }, process });
      outputs.push([args.join(' '), r]);
      return r;
    };

    // The read-only commands at once.
    const [plan] = await Promise.all([
      run(['plan', '-f', manifest, '--debug'], {}, true),
      run(['validate', '-f', manifest, '-f', bad, '-f', rawCtl]),
      run(['plan', '-f', bad]),
      run(['plan', '-f', manifest, '--format', 'markdown']),
      run(['plan', '-f', manifest, '--format', 'json']),
      run(['plan', '-f', manifest, '--out', join(dir, 'plan.json')]),
      run(['list', '--deployment-id', DEP, '--all-scopes']),
      run(['list', '--deployment-id', DEP, '--format', 'json']),
      run(['list', '--deployment-id', DEP, '--kind', 'all']),
      run(['list', '--deployment-id', DEP, '--kind', 'all', '--format', 'json']),
      run(['export']),
      run(['export', '-o', join(dir, 'export.yaml')]),
    ]);
    expect(plan.code).toBe(0);

    // The API echoes the token in a message and as the request ID, and answers with a long HTML page.
    emulator.fault({ kind: 'status', status: 400, times: 1, method: 'POST', path: `/tokens/${T_FAIL}/roles`,
      body: JSON.stringify({ message: `role rejected for ${TOKEN}\x1b[2J\nFAKE line`, requestId: TOKEN, statusCode: 400,
        fieldErrors: [{ field: `roles\x1b[31m${TOKEN}`, code: 'x', message: `Bearer ${TOKEN}\r\n::error ::x` }] }) });
    const applied = await run(['apply', '-f', manifest, '--auto-approve', '--receipt', join(dir, 'receipt.json'), '--debug']);
    expect(applied.stderr + applied.stdout).toContain('role rejected for');
    emulator.fault({ kind: 'status', status: 404, times: 1, method: 'GET', path: '/tokens',
      body: `<html><body>${'x'.repeat(190)}${TOKEN}<script>\x1b]0;t\x07</script>\n::error ::html</body></html>` });
    const html = await run(['list', '--deployment-id', DEP]);
    expect(html.code).toBe(1);
    await run(['apply', '--auto-approve', join(dir, 'plan.json')]);
    const notUrl = await run(['plan', '-f', manifest], { ASTRO_API_URL: `not a url ${TOKEN}\x1b[2J` });
    expect(notUrl.stderr).toContain('ASTRO_API_URL is not a valid URL');

    expect(outputs.length).toBeGreaterThanOrEqual(16);
    for (const [args, r] of outputs) {
      expectClean(`${args} (stdout)`, r.stdout);
      expectClean(`${args} (stderr)`, r.stderr);
    }
    for (const file of ['plan.json', 'receipt.json', 'export.yaml']) expectClean(file, readFileSync(join(dir, file), 'utf8'));
    // The hostile names were shown (escaped), not dropped.
    expect(plan.stdout + plan.stderr).toContain('ci\\x1b[31m\\x0a::error');
    const subjects = outputs.find(([args]) => args === `list --deployment-id ${DEP} --kind all`)?.[1].stdout ?? '';
    expect(subjects).toContain('Mallory\\x1b]0;pwned\\x07\\x0d\\x0aFAKE');
    expect(subjects).toContain('Ops\\u2066\\x0a::error ::x\\u2069');
    const exported = readFileSync(join(dir, 'export.yaml'), 'utf8');
    expect(exported).toContain('- user: "mal\\u202eory\\u001b[2J@example.com"');
    expect(exported).toContain('- team: "Ops\\u2066\\n::error ::x\\u2069"');
  }, 240_000);
});
