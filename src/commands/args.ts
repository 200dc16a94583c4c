import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { closest } from '../util/closest.ts';
import { quote } from '../render/sanitize.ts';

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
    const flag = /option '([^']+)'/.exec(message)?.[1] ?? /'(--?[^']+)'/.exec(message)?.[1];
    const known = Object.keys(spec.options).map((k) => `--${k}`);
    const bare = flag?.replace(/^-+/, '').split('=')[0];
    const hint = bare ? closest(`--${bare}`, known) : undefined;
    throw new UsageError(
      `${message.split('\n')[0]}${hint ? ` (did you mean ${hint}?)` : ''}\nRun 'astro-access ${spec.name} --help' for usage.`,
    );
  }
}

export function parseCount(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number, got ${quote(value)}`);
  return n;
}
