import type { ActionContext, ActionIo, Runner } from './action-context.ts';
import { chooseStep, runStep } from './dispatch.ts';
import { commitUrl, readEvent, repoFromEnv, runUrl } from './event.ts';
import { viewerLogin } from './identity.ts';
import { commandSafe, logText } from './log-text.ts';
import { cleanOutput, outputPolicy } from '../render/output.ts';
import { readInputs } from './inputs.ts';
import { githubApiUrl, githubMessage, makeOctokit } from './octokit.ts';

// One run of the Action, with everything it touches given: the environment (GITHUB_*, INPUT_*), the
// workspace, and the runner (log, workflow commands, output and summary files). No process state is
// read or written here, so the bundle's entry (main.ts) and the tests run the same function.

export interface ActionEnvironment {
  env: NodeJS.ProcessEnv;
  /** The checkout the manifest patterns are relative to (GITHUB_WORKSPACE on a runner). */
  workspace: string;
  runner: Runner;
}

/** An input as the runner passes it (`INPUT_<NAME>`, spaces as `_`), trimmed, '' when unset. */
export function inputFrom(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

// Every log line goes through the CLI's sink (secrets masked, control characters escaped), then
// commandSafe: no text the Action logs can start a workflow command. The annotation commands escape
// their own data, but a newline from data would still split the message.
function actionIo(runner: Runner, env: NodeJS.ProcessEnv, workspace: string): ActionIo {
  const policy = outputPolicy(env);
  return {
    info: (m) => runner.info(commandSafe(cleanOutput(m, policy))),
    warning: (m) => runner.warning(m),
    notice: (m) => runner.notice(m),
    annotate: (a) => runner.error(logText(a.message), a.properties),
    setOutput: (name, value) => runner.setOutput(name, value),
    summary: async (md) => {
      if (!env['GITHUB_STEP_SUMMARY']) return;
      await runner.appendSummary(md);
    },
    fail: (m) => runner.setFailed(m),
    workspace,
    env,
  };
}

/** Runs the Action once; failures end as the runner's failed step, never as a rejection. */
export async function runAction({ env, workspace, runner }: ActionEnvironment): Promise<void> {
  try {
    const inputs = readInputs((name) => inputFrom(env, name));
    if (inputs.astroApiToken !== '') runner.setSecret(inputs.astroApiToken);
    if (inputs.githubToken !== '') runner.setSecret(inputs.githubToken);

    const event = await readEvent(env);
    const step = chooseStep(inputs.command, event);
    const { owner, repo } = repoFromEnv(env);
    const octokit = inputs.githubToken === '' ? null : makeOctokit({ token: inputs.githubToken, baseUrl: githubApiUrl(env) });
    let login: Promise<string> | undefined;
    const ctx: ActionContext = {
      io: actionIo(runner, env, workspace),
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
    runner.info(`astro-access: ${step} (event ${logText(env['GITHUB_EVENT_NAME'] ?? 'unknown')})`);
    await runStep(ctx, step, event);
  } catch (err) {
    // Messages of our errors and of GitHub's never carry a token; mask both anyway (setSecret above).
    runner.setFailed(logText(githubMessage(err)));
  }
}
