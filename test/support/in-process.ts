import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { afterEach } from 'vitest';
import type { AstroClientConfig } from '../../src/astro/config.ts';
import { main } from '../../src/cli.ts';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.ts';
import { TEST_CLIENT, exampleEmulator, tempDir, type CliResult } from './cli.ts';

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
  opts: { env?: NodeJS.ProcessEnv; input?: string; tty?: boolean; client?: Partial<AstroClientConfig> } = {},
): Promise<CliResult & { stdoutStream: Capture; stderrStream: Capture }> {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture(opts.tty);
  const stdin = Readable.from([opts.input ?? '']);
  const code = await main(args, { stdout, stderr, stdin, env: { NO_COLOR: '1', ...opts.env }, client: { ...TEST_CLIENT, ...opts.client } });
  return { code, stdout: stdout.text, stderr: stderr.text, stdoutStream: stdout, stderrStream: stderr };
}

/** An example emulator per test, closed after each: `start()` in a test, `current()` to inspect or fault it. */
export function emulatorPerTest(): { start(opts?: Partial<EmulatorOptions>): Promise<NodeJS.ProcessEnv>; current(): Emulator } {
  let running: Emulator | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    async start(opts = {}) {
      const { emulator, env } = await exampleEmulator(opts);
      running = emulator;
      return env;
    },
    current() {
      if (!running) throw new Error('no emulator started in this test');
      return running;
    },
  };
}

/** `validate` on a file with this text: the CLI's answer. */
export async function validateText(name: string, text: string): Promise<CliResult & { file: string }> {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return { ...(await runMain(['validate', '-f', file])), file };
}
