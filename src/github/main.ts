import * as core from '@actions/core';
import type { ActionContext } from './action-context.ts';
import type { ActionIo } from './action-io.ts';
import { chooseStep, runStep } from './dispatch.ts';
import { commitUrl, readEvent, repoFromEnv, runUrl } from './event.ts';
import { viewerLogin } from './identity.ts';
import { commandSafe, logText } from './log-text.ts';
import { readInputs } from './inputs.ts';
import { githubApiUrl, githubMessage, makeOctokit } from './octokit.ts';

// The Action's entry (bundled to dist/index.js): inputs, secrets masked first, then one step.

// Every line goes through commandSafe: no text the Action logs can start a workflow command. The
// annotation commands escape their own data, but a newline from data would still split the message.
function coreIo(env: NodeJS.ProcessEnv): ActionIo {
  return {
    info: (m) => core.info(commandSafe(m)),
    warning: (m) => core.warning(m),
    notice: (m) => core.notice(m),
    annotate: (a) => core.error(logText(a.message), a.properties),
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
  const octokit = inputs.githubToken === '' ? null : makeOctokit({ token: inputs.githubToken, baseUrl: githubApiUrl(env) });
  let login: Promise<string> | undefined;
  const ctx: ActionContext = {
    io: coreIo(env),
    inputs,
    owner,
    repo,
    octokit,
    runUrl: runUrl(env),
    commitUrl: (sha) => commitUrl(sha, env),
    viewer: () => {
      if (octokit === null) return Promise.reject(new Error('no github-token'));
      return (login ??= viewerLogin(octokit));
    },
  };
  core.info(`astro-access: ${step} (event ${logText(env['GITHUB_EVENT_NAME'] ?? 'unknown')})`);
  await runStep(ctx, step, event);
}

main().catch((err: unknown) => {
  // Messages of our errors and of GitHub's never carry a token; mask both anyway (setSecret above).
  core.setFailed(logText(githubMessage(err)));
});
