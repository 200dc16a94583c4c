import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-cli.setup.ts'],
    // Most files wait on sockets and child processes rather than compute: two files at a time even on
    // two cores (the default, cores − 1, runs them one after another there).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
