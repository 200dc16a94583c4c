import type { Annotation } from './annotations.ts';

// What the Action's steps may do to the runner: logs, annotations, outputs, the job summary and the
// verdict. run-action.ts builds it over a Runner; the steps never touch process state directly.

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
  /** The raw log stream, for the CLI's blocks (planning's progress lines); wrap it before writing. */
  log: NodeJS.WritableStream;
  /** The checkout: manifest patterns and paths are relative to it. */
  workspace: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The runner as @actions/core drives it (main.ts), or a recorder in tests: the log (stdout), workflow
 * commands, and the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Messages arrive already made safe.
 */
export interface Runner {
  log: NodeJS.WritableStream;
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
