import type { GitHub } from './octokit.ts';
import { GitHubAnswerError } from '../errors.ts';

// Who the Action is on GitHub: the login its token authenticates as. Only what this identity wrote
// (comments, commit statuses) is ever edited or trusted; anyone can copy a hidden marker.
// GraphQL `viewer` answers for the workflow token and app installation tokens alike, where REST
// `/user` is refused ("Resource not accessible by integration").

export interface Author {
  login: string;
  type?: string;
}

export async function viewerLogin(octokit: GitHub): Promise<string> {
  const data = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
  const login = data.viewer?.login;
  if (typeof login !== 'string' || login === '') throw new GitHubAnswerError('GitHub did not say which login the github-token authenticates as');
  return login;
}

/**
 * Whether `author` is the viewer. GraphQL may name a bot `name` where REST objects show `name[bot]`,
 * so a Bot author matches with or without the suffix; a person must match exactly.
 */
export function isViewer(viewer: string, author: Author | null | undefined): boolean {
  if (author === null || author === undefined) return false;
  const v = viewer.toLowerCase();
  const a = author.login.toLowerCase();
  if (a === v) return true;
  return author.type === 'Bot' && (a === `${v}[bot]` || `${a}[bot]` === v);
}
