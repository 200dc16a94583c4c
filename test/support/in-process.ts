import { Writable, Readable } from 'node:stream';
import { main } from '../../src/cli.ts';
import type { CliResult } from './cli.ts';

/** A stream that keeps what is written, optionally claiming to be a terminal. */
export class Capture extends Writable {
  text = '';
  isTTY?: boolean;
  columns?: number;
  constructor(tty = false) {
    super();
    if (tty) {
      this.isTTY = true;
      this.columns = 100;
    }
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Run the CLI's main() in this process on captured streams: the same code path as the bin, minus a process. */
export async function runMain(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; tty?: boolean } = {},
): Promise<CliResult & { stdoutStream: Capture; stderrStream: Capture }> {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture(opts.tty);
  const stdin = Readable.from([opts.input ?? '']);
  const code = await main(args, { stdout, stderr, stdin, env: { NO_COLOR: '1', ...opts.env } });
  return { code, stdout: stdout.text, stderr: stderr.text, stdoutStream: stdout, stderrStream: stderr };
}
