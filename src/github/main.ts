import * as core from '@actions/core';
import type { ActionContext } from './action-context.ts';
import type { ActionIo } from './action-io.ts';
import { chooseStep, runStep } from './dispatch.ts';
import { readEvent, repoFromEnv, runUrl } from './event.ts';
import { readInputs } from './inputs.ts';
import { githubApiUrl, githubMessage, makeOctokit } from './octokit.ts';

// The Action's entry (bundled to dist/index.js): inputs, secrets masked first, then one step.

function coreIo(env: NodeJS.ProcessEnv): ActionIo {
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    notice: (m) => core.notice(m),
    annotate: (a) => core.error(a.message, a.properties),
    setOutput: (name, value) => core.setOutput(name, value),
    summary: async (md) => {
      if (!env['GITHUB_STEP_SUMMARY']) return;
      await core.summary.addRaw(md, true).write(); // write() empties the buffer
    },
    fail: (m) => core.setFailed(m),
    env,
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.astroApiToken !== '') core.setSecret(inputs.astroApiToken);
  if (inputs.githubToken !== '') core.setSecret(inputs.githubToken);
  if (env['GITHUB_WORKSPACE']) process.chdir(env['GITHUB_WORKSPACE']);

  const event = await readEvent(env);
  const step = chooseStep(inputs.command, event);
  const { owner, repo } = repoFromEnv(env);
  const ctx: ActionContext = {
    io: coreIo(env),
    inputs,
    owner,
    repo,
    octokit: inputs.githubToken === '' ? null : makeOctokit({ token: inputs.githubToken, baseUrl: githubApiUrl(env) }),
    runUrl: runUrl(env),
  };
  core.info(`astro-access: ${step} (event ${env['GITHUB_EVENT_NAME'] ?? 'unknown'})`);
  await runStep(ctx, step, event);
}

main().catch((err: unknown) => {
  // Messages of our errors and of GitHub's never carry a token; mask both anyway (setSecret above).
  core.setFailed(githubMessage(err));
});
