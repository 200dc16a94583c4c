import * as core from '@actions/core';
import type { Runner } from './action-context.ts';
import { runAction } from './run-action.ts';

// The Action's entry (bundled to dist/index.js): the runner is this process, as @actions/core drives it.

const runner: Runner = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  notice: (m) => core.notice(m),
  error: (m, properties) => core.error(m, properties),
  setSecret: (s) => core.setSecret(s),
  setOutput: (name, value) => core.setOutput(name, value),
  appendSummary: async (md) => {
    await core.summary.addRaw(md, true).write(); // write() empties the buffer
  },
  setFailed: (m) => core.setFailed(m),
};

await runAction({ env: process.env, workspace: process.env['GITHUB_WORKSPACE'] || process.cwd(), runner });
