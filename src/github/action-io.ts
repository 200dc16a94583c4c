import type { Annotation } from './annotations.ts';

// What the Action's steps may do to the runner: logs, annotations, outputs, the job summary and the
// verdict. main.ts backs it with @actions/core; the steps never touch process state directly.

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
  env: NodeJS.ProcessEnv;
}
