#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { applyCommand } from './commands/apply.ts';
import type { Io } from './commands/context.ts';
import { exportCommand } from './commands/export.ts';
import { listCommand } from './commands/list.ts';
import { planCommand } from './commands/plan.ts';
import { validateCommand } from './commands/validate.ts';
import { runEmulatorCommand } from './emulator/command.ts';
import { AstroApiError, ConflictError, GuardError, ManifestError, UsageError } from './errors.ts';
import type { Diagnostic } from './manifest/types.ts';
import { closest } from './util/closest.ts';
import { VERSION } from './version.ts';

const USAGE = `astro-access ${VERSION}: Astro API-token deployment roles, managed in Git.

Usage: astro-access <command> [options]

Commands:
  validate   check manifest files offline (syntax, schema, duplicates)
  plan       show what apply would change, without changing anything
  apply      make the live roles match the manifest (or a saved plan)
  list       list the tokens that hold a role on one deployment
  export     write a manifest of what is live now
  emulator   run the local Astro API emulator (no account needed)

Run 'astro-access <command> --help' for a command's options.
Environment: ASTRO_API_TOKEN (required to reach the API), ASTRO_API_URL (default https://api.astronomer.io/v1).
Exit codes: 0 success, 1 error, 2 changes present (plan --detailed-exitcode), 3 refused by a safety guard.`;

const COMMANDS: Record<string, (io: Io, argv: string[]) => Promise<number>> = {
  validate: validateCommand,
  plan: planCommand,
  apply: applyCommand,
  list: listCommand,
  export: exportCommand,
  emulator: (_io, argv) => runEmulatorCommand(argv),
};

/** Run one command; every error becomes a message and an exit code here, in one place. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const hint = closest(name, Object.keys(COMMANDS));
    io.stderr.write(`error: unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}\n\n${USAGE}\n`);
    return 1;
  }
  try {
    return await command(io, rest);
  } catch (err) {
    return report(io, err);
  }
}

/** Problems in all, counting those a file's cap left out ("… N more problems in this file not shown"). */
function problemCount(diagnostics: readonly Diagnostic[]): number {
  let n = 0;
  for (const d of diagnostics) {
    const hidden = /^… (\d+) more problems? in this file not shown$/.exec(d.message);
    n += hidden ? Number(hidden[1]) : 1;
  }
  return n;
}

function report(io: Io, err: unknown): number {
  const write = (s: string) => io.stderr.write(s.endsWith('\n') ? s : s + '\n');
  if (err instanceof ManifestError) {
    write(err.message);
    const n = problemCount(err.diagnostics);
    write(`${n} problem${n === 1 ? '' : 's'} found; nothing was sent to the API.`);
    return 1;
  }
  if (err instanceof GuardError) {
    write(`error: ${err.message}\nNothing was written. Re-run with --allow-unsafe to override (recorded in the receipt).`);
    return 3;
  }
  if (err instanceof UsageError || err instanceof ConflictError) {
    write(`error: ${err.message}`);
    return 1;
  }
  if (err instanceof AstroApiError) {
    write(`error: ${err.message}`);
    if (err.hint) write(`hint: ${err.hint}`);
    return 1;
  }
  if (err instanceof SyntaxError) {
    write(`error: invalid JSON: ${err.message}`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && e.path) {
    write(`error: ${e.code === 'ENOENT' ? 'no such file' : e.code}: ${e.path}`);
    return 1;
  }
  write(`error: ${err instanceof Error ? err.message : String(err)}`);
  if (io.env.ASTRO_ACCESS_DEBUG && err instanceof Error && err.stack) write(err.stack);
  return 1;
}

/** The process entry: real streams and environment, exit code on the process. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
