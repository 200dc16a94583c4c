import type { AstroClientConfig } from '../astro/config.ts';
import type { Session } from '../session/session.ts';
import { say } from './say.ts';

/** What a command may touch: streams and environment, injected so the CLI is one testable function. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Client settings over the defaults (a test's faster pacing); nothing on the command line sets it. */
  client?: Partial<AstroClientConfig>;
}

export { say };

/** The shared steps' Session for a command: its env and client settings, notes on stderr. */
export function sessionOf(io: Io): Session {
  return { env: io.env, ...(io.client === undefined ? {} : { client: io.client }), note: (line) => say(io, line) };
}

/** The `--rate-limit` option every command that talks to the API takes. */
export const RATE_LIMIT_OPTION = { 'rate-limit': { type: 'string' } } as const;
export const RATE_LIMIT_HELP = `      --rate-limit get=N,post=M
                         requests per second to stay under (default get=25,post=10, the documented
                         limits; also ASTRO_ACCESS_RATE_LIMIT). The budget is the organization's: give
                         less when other jobs share it. After a 429 the rate is lowered further.`;
