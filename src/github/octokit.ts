import { Octokit } from '@octokit/rest';

// The one place a GitHub client is made. GITHUB_API_URL points at GitHub Enterprise Server
// (e.g. https://ghe.example.com/api/v3); without it, github.com.

export type GitHub = Octokit;

export const DEFAULT_API_URL = 'https://api.github.com';

/** The REST API base URL from the environment, without a trailing slash. */
export function githubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['GITHUB_API_URL']?.trim();
  return (url === undefined || url === '' ? DEFAULT_API_URL : url).replace(/\/+$/, '');
}

export function makeOctokit(opts: { token: string; baseUrl?: string }): GitHub {
  return new Octokit({
    auth: opts.token,
    baseUrl: (opts.baseUrl ?? githubApiUrl()).replace(/\/+$/, ''),
    userAgent: 'astro-access',
    // Keep deprecation warnings; drop the request log. Failed requests throw, and the caller
    // reports them (or, like a fork's 403, handles them), so logging them here would only mislead.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
}

/** An HTTP error answer from GitHub (Octokit's RequestError, recognized by shape). */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err) {
    const s = (err as { status: unknown }).status;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

/**
 * A write the token may not make: a pull request from a fork runs with a read-only GITHUB_TOKEN,
 * and GitHub answers 403 "Resource not accessible by integration".
 */
export function isWriteForbidden(err: unknown): boolean {
  return httpStatus(err) === 403;
}

/** GitHub's error message, without request details (which could carry headers). */
export function githubMessage(err: unknown): string {
  if (err instanceof Error) {
    const data = (err as { response?: { data?: unknown } }).response?.data;
    const m = (data as { message?: unknown } | undefined)?.message;
    if (typeof m === 'string') return m;
    return err.message;
  }
  return String(err);
}
