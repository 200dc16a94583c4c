// `npm run demo`: the whole cycle on the embedded emulator, no account needed.
// Starts the Astro API emulator from examples/, then runs the real CLI: plan, apply, plan again, for
// tokens, a user and a team.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build-cli.ts';
import { startEmulator } from './emulator/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = 'examples/astro-access.yaml';

/** An unsigned JWT naming the apply token, so the self-protection guard has an identity to protect. */
function demoToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ apiTokenId: 'c2p8v6d4r0t9w1x3z5b7n9m4k' })}.demo`;
}

// The steps run the installed command, bin/astro-access.js: compile the CLI from the sources first.
await buildCli();
const emulator = await startEmulator({ state: `${root}examples/emulator-state.json` });
const env = { ...process.env, ASTRO_API_URL: emulator.url, ASTRO_API_TOKEN: demoToken() };

/** Run the CLI as its own process; asynchronously, since the emulator answers from this one. */
async function step(title: string, args: string[]): Promise<number> {
  process.stdout.write(`\n== ${title}\n$ astro-access ${args.join(' ')}\n\n`);
  const child = spawn(process.execPath, [`${root}bin/astro-access.js`, ...args], { cwd: root, env, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code ?? 1;
}

let failed = false;
try {
  process.stdout.write(`Astro API emulator on ${emulator.url} with the organization in examples/emulator-state.json.\n`);
  failed ||= (await step('1. What would change?', ['plan', '-f', manifest])) !== 0;
  failed ||= (await step('2. Apply it', ['apply', '-f', manifest, '--auto-approve'])) !== 0;
  const again = await step('3. Plan again: nothing left to do', ['plan', '-f', manifest, '--detailed-exitcode']);
  failed ||= again !== 0;
  const posts = emulator.log.filter((e) => e.method === 'POST').length;
  process.stdout.write(`\nThe emulator saw ${emulator.log.length} requests, ${posts} of them writes (one per changed token, user or team).\n`);
} finally {
  await emulator.close();
}
process.exitCode = failed ? 1 : 0;
