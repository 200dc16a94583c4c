import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { closest } from '../util/closest.ts';
import { quote } from '../util/sanitize.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
}

/** Strict parsing: an unknown flag is an error with a hint naming the closest known flag. */
export function parseCommandArgs<O extends Options>(spec: CommandSpec<O>, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: spec.allowPositionals ?? false });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec(message)?.[1];
    if (ambiguous) {
      // `--parallelism -1`: a value that starts with a dash reads as a flag.
      const given = argv[argv.indexOf(ambiguous) + 1] ?? '';
      const why = /^-\d/.test(given) ? `must not be negative, got ${given}` : `needs a value, got the flag ${given}`;
      throw new UsageError(`${ambiguous} ${why}\nRun 'astro-access ${spec.name} --help' for usage.`);
    }
    const flag = /option '([^']+)'/.exec(message)?.[1] ?? /'(--?[^']+)'/.exec(message)?.[1];
    const known = Object.keys(spec.options).map((k) => `--${k}`);
    const bare = flag?.replace(/^-+/, '').split('=')[0];
    const hint = bare ? closest(`--${bare}`, known) : undefined;
    throw new UsageError(
      `${message.split('\n')[0]}${hint ? ` (did you mean ${hint}?)` : ''}\nRun 'astro-access ${spec.name} --help' for usage.`,
    );
  }
}

/** A whole-number flag of at least `min`: "1e3", "0x10", " 4", "2.5" and negatives are refused, not guessed at. */
export function parseCount(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} takes a whole number (${min} or more), got ${quote(value)}`);
  if (n < min) throw new UsageError(`${flag} must be at least ${min}, got ${n}`);
  return n;
}
