import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMergedPull } from '../../src/github/merged-pull.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import { HUMAN, startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer, PullRequest } from '../support/github-server.ts';

const MERGE = '5d41402abc4b2a76b9719d911017c592ae1b2c3d';
let gh: GitHubServer;
beforeEach(async () => {
  gh = await startGitHubServer();
});
afterEach(async () => {
  await gh.close();
});

function pr(number: number, over: Partial<PullRequest> = {}): PullRequest {
  return {
    number,
    title: `pr ${number}`,
    state: 'closed',
    merged_at: '2026-01-02T00:00:00Z',
    merge_commit_sha: null,
    head: { sha: String(number).repeat(40).slice(0, 40), ref: `b${number}`, repo: { full_name: 'acme/astro-config' } },
    base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/astro-config' } },
    user: HUMAN,
    ...over,
  };
}

const find = () =>
  findMergedPull(makeOctokit({ token: 't', baseUrl: gh.url }), { owner: 'acme', repo: 'astro-config', sha: MERGE, baseRef: 'main' });

describe('findMergedPull', () => {
  it('picks the merged pull request whose merge commit is the pushed commit', async () => {
    gh.state.commitPulls.set(MERGE, [pr(5, { state: 'open', merged_at: null }), pr(6), pr(7, { merge_commit_sha: MERGE })]);
    expect(await find()).toEqual({ number: 7, headSha: pr(7).head.sha, baseRef: 'main' });
    expect(gh.requests.map((r) => r.path)).toEqual([`/repos/acme/astro-config/commits/${MERGE}/pulls?per_page=100`]);
  });

  it('falls back to a merged pull request into the branch, never an open one or one into another branch', async () => {
    gh.state.commitPulls.set(MERGE, [
      pr(5, { state: 'open', merged_at: null }),
      pr(6, { base: { sha: 'c'.repeat(40), ref: 'release', repo: { full_name: 'acme/astro-config' } } }),
      pr(8),
    ]);
    expect((await find())?.number).toBe(8);
  });

  it('returns null for a direct push with no pull request', async () => {
    expect(await find()).toBeNull();
  });
});
