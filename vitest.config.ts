import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-cli.setup.ts'],
    // Most files wait on sockets and child processes rather than compute: two files at a time even on
    // two cores (the default, cores − 1, runs them one after another there), in reused workers (no
    // fresh module graph per file; tests restore what they change in process.env).
    maxWorkers: 2,
    isolate: false,
    // Generous for a loaded machine: the tests that run several Action processes take seconds each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
