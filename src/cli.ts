#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import type { Options } from './commands/args.ts';
import type { Io } from './commands/io.ts';
import { say } from './commands/say.ts';
import { AstroApiError, GuardError, ManifestError, UsageError, formatDiagnostic } from './errors.ts';
import { caretExcerpt } from './render/excerpt.ts';
import { closest } from './util/closest.ts';
import { safeIo } from './render/output.ts';
import { VERSION } from './version.ts';
import { plural } from './util/plural.ts';

/** What a command runs and which flags shell completion offers for it. */
interface Loaded {
  run: (io: Io, argv: string[]) => Promise<number>;
  options: Options;
  /** Values completion offers after a flag (`--kind`). */
  choices?: Readonly<Record<string, readonly string[]>>;
}

interface Command {
  summary: string;
  /** Each command is loaded when it runs, so `--version` and `--help` start without the HTTP client,
   *  YAML parser and schema validator (the compiled bundle splits them into chunks loaded on demand). */
  load: () => Promise<Loaded>;
}

const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check manifest files offline (syntax, schema, duplicates)',
    load: async () => import('./commands/validate.ts').then((m) => ({ run: m.validateCommand, options: m.spec.options })),
  },
  plan: {
    summary: 'show what apply would change, without changing anything',
    load: async () => import('./commands/plan.ts').then((m) => ({ run: m.planCommand, options: m.spec.options })),
  },
  apply: {
    summary: 'make the live roles match the manifest (or a saved plan)',
    load: async () => import('./commands/apply.ts').then((m) => ({ run: m.applyCommand, options: m.spec.options })),
  },
  list: {
    summary: 'list the tokens, users or teams that hold a role on one deployment',
    load: async () => import('./commands/list.ts').then((m) => ({ run: m.listCommand, options: m.spec.options, choices: m.spec.choices })),
  },
  export: {
    summary: 'write a manifest of what is live now',
    load: async () => import('./commands/export.ts').then((m) => ({ run: m.exportCommand, options: m.spec.options, choices: m.spec.choices })),
  },
  emulator: {
    summary: 'run the local Astro API emulator (no account needed)',
    load: async () =>
      import('./emulator/command.ts').then((m) => ({ run: (io: Io, argv: string[]) => m.runEmulatorCommand(argv, io), options: m.EMULATOR_OPTIONS })),
  },
  help: {
    summary: "show a command's help: astro-access help <command>",
    load: async () => ({ run: help, options: {} }),
  },
  completion: {
    summary: 'print shell completion: source <(astro-access completion bash)',
    load: async () => ({ run: completion, options: {} }),
  },
};

async function completion(io: Io, argv: string[]): Promise<number> {
  if (argv.length > 1) throw new UsageError('completion takes one shell: bash, zsh or fish');
  const { completionScript } = await import('./commands/completion.ts');
  const commands = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, c]) => {
      const { options, choices } = await c.load();
      return { name, summary: c.summary, options, ...(choices ? { choices } : {}) };
    }),
  );
  io.stdout.write(completionScript(argv[0], commands));
  return 0;
}

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
const USAGE = `astro-access ${VERSION}: Astro API-token deployment roles, managed in Git.

Usage: astro-access <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}   ${c.summary}`)
  .join('\n')}

Run 'astro-access help <command>' or 'astro-access <command> --help' for a command's options and examples.

Environment:
  ASTRO_API_TOKEN         an Astro API token (required to reach the API; never printed)
  ASTRO_API_URL           default https://api.astronomer.io/v1
  ASTRO_ORGANIZATION_ID   the organization for list and export (else --organization-id, else the manifest's)
  NO_COLOR                set to turn colour off

Exit codes: 0 success, 1 error, 2 changes present (plan --detailed-exitcode), 3 refused by a safety guard.`;

async function help(io: Io, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command || rest.length > 0) throw unknownCommand(name);
  if (name === 'help' || name === 'completion') {
    io.stdout.write(`astro-access ${name}: ${command.summary}\n`);
    return 0;
  }
  return (await command.load()).run(io, ['--help']);
}

function unknownCommand(name: string): UsageError {
  const hint = closest(name, Object.keys(COMMANDS));
  return new UsageError(`unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}. Run 'astro-access --help' for the commands.`);
}

/** Run one command; every error becomes a message and an exit code here, in one place. */
export async function main(argv: string[], rawIo: Io): Promise<number> {
  // The one way out: every line below is redacted and escaped on its way to the streams.
  const io = safeIo(rawIo);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout.write(USAGE + '\n');
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw unknownCommand(name);
    return await (await command.load()).run(io, rest);
  } catch (err) {
    return report(io, err);
  }
}

function report(io: Io, err: unknown): number {
  const write = (s: string) => say(io, s);
  if (err instanceof ManifestError) {
    for (const d of err.diagnostics) write([formatDiagnostic(d), ...caretExcerpt(d)].join('\n'));
    write(`${plural(err.count, 'problem')} found; nothing was sent to the API.`);
    return 1;
  }
  if (err instanceof GuardError) {
    write(`error: ${err.message}\nNothing was written. Re-run with --allow-unsafe to override (recorded in the receipt).`);
    return 3;
  }
  if (err instanceof UsageError) {
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
