import type { ActionIo } from './action-io.ts';
import type { ActionInputs } from './inputs.ts';
import type { GitHub } from './octokit.ts';

// Everything a step of the Action needs, built once by main.ts.

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
