import type { Diagnostic } from '../manifest/types.ts';
import type { ActionInputs } from './inputs.ts';
import { repoPath } from './manifest-glob.ts';
import type { GitHub } from './octokit.ts';

// What a step of the Action is given (built once per run by run-action.ts) and what it may do to the
// runner: logs, annotations, outputs, the job summary and the verdict. Steps never touch process state.

export interface ActionContext {
  io: ActionIo;
  inputs: ActionInputs;
  owner: string;
  repo: string;
  /** null without a GitHub token: nothing is read from or written to GitHub. */
  octokit: GitHub | null;
  /** Link to this workflow run, when known. */
  runUrl: string | undefined;
  /** Link to a commit of this repository, when known. */
  commitUrl(sha: string): string | undefined;
  /** The login the github-token authenticates as (asked once); throws without a token. */
  viewer(): Promise<string>;
}

export interface ActionIo {
  /** A log line; no line of it can start a workflow command (data still goes through logText). */
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  annotate(a: Annotation): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  summary(markdown: string): Promise<void>;
  /** Marks the step failed; the run continues so the comment and summary still get written. */
  fail(message: string): void;
  /** The checkout: manifest patterns and paths are relative to it. */
  workspace: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The runner as @actions/core drives it (main.ts), or a recorder in tests: the log (stdout), workflow
 * commands, and the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Messages arrive already made safe.
 */
export interface Runner {
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  error(message: string, properties?: Annotation['properties']): void;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  appendSummary(markdown: string): Promise<void>;
  /** Marks the step failed (exit code 1) and logs the message as an error. */
  setFailed(message: string): void;
}

/** A manifest error as a workflow annotation on its line (`core.error(message, properties)`). */
export interface Annotation {
  message: string;
  properties: { title: string; file: string; startLine: number; startColumn: number };
}

export function toAnnotations(diags: readonly Diagnostic[], title = 'astro-access'): Annotation[] {
  return diags.map((d) => ({
    message: d.message,
    properties: { title, file: repoPath(d.file), startLine: d.line, startColumn: d.col },
  }));
}
