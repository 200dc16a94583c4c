import { paintPrefix, shouldUseColor } from '../render/color.ts';

// One line to stderr, `error:`/`warning:` coloured on a terminal. A module of its own, light enough for the
// CLI's entry to load before any command (src/cli.ts reports every error through it).

export function say(io: { stderr: NodeJS.WritableStream & { isTTY?: boolean }; env: NodeJS.ProcessEnv }, line: string): void {
  const colored = paintPrefix(line, shouldUseColor(io.stderr, io.env));
  io.stderr.write(colored.endsWith('\n') ? colored : colored + '\n');
}
