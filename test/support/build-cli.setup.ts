import { buildCli } from '../../scripts/build-cli.ts';

// Vitest global setup: compile the CLI once per run, so the tests that start it as a process
// (bin/astro-access.js loads lib/) run the sources under test, never a stale build.
export default async function setup(): Promise<void> {
  await buildCli();
}
