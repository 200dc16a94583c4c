import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { redact } from '../astro/redact.ts';
import { shouldUseColor } from './color.ts';
import { safeJson, sanitizeLines } from '../util/sanitize.ts';

// One way out. Every byte the CLI writes (stdout, stderr, --debug, receipts, plan files, exports) goes
// through here: secrets are masked first (before anything could cut them into fragments), then every
// control, bidi and zero-width character is shown escaped. Newlines and tabs stay; on a colour terminal
// the exact colour codes painter() emits stay too. Safety so does not depend on each caller remembering:
// values should still be escaped where they are placed (sanitizeTerminal), this is the floor beneath.

/** The secrets the process knows of: whatever variable carries one. */
const SECRET_VARIABLES = ['ASTRO_API_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN', 'INPUT_ASTRO-API-TOKEN', 'INPUT_GITHUB-TOKEN'];

export interface OutputPolicy {
  secrets: string[];
  /** Our own SGR colour codes are let through (the stream is a colour terminal). */
  colour: boolean;
  /** The stream is a terminal: our "rewrite this line" sequence (a progress line) is let through. */
  terminal?: boolean;
}

/** The colour codes of render/color.ts, and nothing else: no cursor moves, titles or hyperlinks. */
const OUR_COLOURS = '\\x1b\\[(?:1|2|22|31|32|33|39)m';
/** Carriage return + erase line, which a progress line on a terminal starts with; nothing else. */
const OUR_LINE_REWRITE = '\\r\\x1b\\[2K';

function ours(policy: OutputPolicy): RegExp | undefined {
  const kept = [...(policy.colour ? [OUR_COLOURS] : []), ...(policy.terminal ? [OUR_LINE_REWRITE] : [])];
  return kept.length === 0 ? undefined : new RegExp(kept.join('|'), 'g');
}

export function outputPolicy(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean } = {}): OutputPolicy {
  const secrets = SECRET_VARIABLES.map((k) => env[k]?.trim()).filter((s): s is string => s !== undefined && s !== '');
  return { secrets, colour: shouldUseColor(stream, env), terminal: stream.isTTY === true && env['TERM'] !== 'dumb' };
}

/** Text as it may leave the process. */
export function cleanOutput(text: string, policy: OutputPolicy): string {
  return sanitizeLines(redact(text, ...policy.secrets), ours(policy));
}

/**
 * JSON as it may leave the process: secrets masked, and the characters JSON.stringify leaves raw
 * (DEL, C1, bidi, zero-width) written as \uXXXX escapes, so the file means exactly the same data.
 */
export function cleanJson(value: unknown, policy: OutputPolicy, indent?: number): string {
  return redact(safeJson(value, indent), ...policy.secrets);
}

/** A stream that cleans every chunk, then passes it on; isTTY and columns are those of the target. */
export class SafeStream extends Writable {
  readonly isTTY: boolean | undefined;
  readonly columns: number | undefined;
  constructor(private readonly target: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, private readonly policy: OutputPolicy) {
    super({ decodeStrings: false });
    this.isTTY = target.isTTY;
    this.columns = target.columns;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    // Handed on at once, not after the target's callback: a caller that returns right after writing
    // (the CLI's main, a test harness reading its buffer) must find every line already passed on.
    this.target.write(cleanOutput(text, this.policy));
    done();
  }
}

interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** The same Io with stdout and stderr behind the sink (idempotent: a safe stream is not wrapped twice). */
export function safeIo<T extends Streams>(io: T): T {
  const wrap = (s: T['stdout']) => (s instanceof SafeStream ? s : new SafeStream(s, outputPolicy(io.env, s)));
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

/** Writes a file through the sink: text cleaned like a terminal line (no colour), or JSON escaped. */
export async function writeOutputFile(
  env: NodeJS.ProcessEnv,
  path: string,
  content: { text: string } | { json: unknown },
  opts: { exclusive?: boolean } = {},
): Promise<void> {
  const policy = { secrets: outputPolicy(env).secrets, colour: false };
  const data = 'text' in content ? cleanOutput(content.text, policy) : cleanJson(content.json, policy, 2) + '\n';
  await writeFile(path, data, opts.exclusive ? { flag: 'wx' } : {});
}
