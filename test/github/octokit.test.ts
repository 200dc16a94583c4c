import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, githubApiUrl, isWriteForbidden, makeOctokit } from '../../src/github/octokit.ts';
import { findStickyComment } from '../../src/github/pr-comment.ts';
import { BOT, startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer } from '../support/github-server.ts';

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

describe('githubApiUrl', () => {
  it('defaults to api.github.com and honours GITHUB_API_URL without a trailing slash', () => {
    expect(githubApiUrl({})).toBe(DEFAULT_API_URL);
    expect(githubApiUrl({ GITHUB_API_URL: '' })).toBe(DEFAULT_API_URL);
    expect(githubApiUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe('https://ghe.example.com/api/v3');
  });
});

describe('makeOctokit', () => {
  it('talks to a GitHub Enterprise Server at GITHUB_API_URL, with its /api/v3 prefix, as astro-access', async () => {
    gh = await startGitHubServer({ pathPrefix: '/api/v3', token: 'ghp_enterprise' });
    gh.seedIssue({ title: 'PR stand-in', number: 4 });
    const octokit = makeOctokit({ token: 'ghp_enterprise', baseUrl: githubApiUrl({ GITHUB_API_URL: gh.url + '/' }) });
    await findStickyComment(octokit, { owner: 'acme', repo: 'astro-config', issueNumber: 4, marker: 'x', viewer: BOT.login });
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    expect(gh.requests).toEqual([
      { method: 'GET', path: '/repos/acme/astro-config/issues/4/comments?per_page=100', body: null, userAgent: expect.stringMatching(/^astro-access/) },
    ]);
  });

  it('reads GITHUB_API_URL from the environment when no base URL is given', async () => {
    gh = await startGitHubServer();
    gh.seedIssue({ title: 'x', number: 1 });
    const saved = process.env['GITHUB_API_URL'];
    process.env['GITHUB_API_URL'] = gh.url;
    try {
      const octokit = makeOctokit({ token: 't' });
      await octokit.rest.issues.get({ owner: 'acme', repo: 'astro-config', issue_number: 1 });
    } finally {
      if (saved === undefined) delete process.env['GITHUB_API_URL'];
      else process.env['GITHUB_API_URL'] = saved;
    }
    expect(gh.requests).toHaveLength(1);
  });

  it('sends the token only in the Authorization header: a wrong token is refused, and errors do not carry it', async () => {
    gh = await startGitHubServer({ token: 'ghs_right' });
    gh.seedIssue({ title: 'x', number: 1 });
    const wrong = makeOctokit({ token: 'ghs_wrong_secret' });
    const err: unknown = await wrong.rest.issues
      .get({ owner: 'acme', repo: 'astro-config', issue_number: 1, baseUrl: gh.url })
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    expect(isWriteForbidden(err)).toBe(false);
    expect(String(err)).not.toContain('ghs_wrong_secret');
    expect(JSON.stringify(err)).not.toContain('ghs_wrong_secret');
  });
});
