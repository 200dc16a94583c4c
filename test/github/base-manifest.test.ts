import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFilesAtRef } from '../../src/github/base-manifest.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import { startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer } from '../support/github-server.ts';

let gh: GitHubServer;
beforeEach(async () => {
  gh = await startGitHubServer();
});
afterEach(async () => {
  await gh.close();
});

describe('readFilesAtRef', () => {
  it('reads files at the ref, decoding base64 (UTF-8 included), and reports missing ones', async () => {
    const text = 'version: 1\n# café ☕\norganizationId: clx42kkcm01fo01o06agtmshg\n' + 'x: y\n'.repeat(50);
    gh.state.contents.set('main:astro-access.yaml', text);
    gh.state.contents.set('main:teams/data.yaml', 'version: 1\n');
    gh.state.contents.set('feature:teams/new.yaml', 'only on the branch');
    const octokit = makeOctokit({ token: 't', baseUrl: gh.url });
    const res = await readFilesAtRef(octokit, {
      owner: 'acme',
      repo: 'astro-config',
      ref: 'main',
      paths: ['astro-access.yaml', './teams/data.yaml', 'teams/new.yaml'],
    });
    expect(res.files).toEqual([
      { file: 'astro-access.yaml', text },
      { file: './teams/data.yaml', text: 'version: 1\n' },
    ]);
    expect(res.missing).toEqual(['teams/new.yaml']);
    expect(gh.requests.map((r) => r.path)).toContain('/repos/acme/astro-config/contents/teams%2Fdata.yaml?ref=main');
  });

  it('refuses paths that leave the repository', async () => {
    const octokit = makeOctokit({ token: 't', baseUrl: gh.url });
    await expect(readFilesAtRef(octokit, { owner: 'acme', repo: 'astro-config', ref: 'main', paths: ['../etc/passwd'] })).rejects.toThrow(
      /relative to the repository root/,
    );
    expect(gh.requests).toHaveLength(0);
  });

  it('rethrows errors other than 404', async () => {
    const octokit = makeOctokit({ token: '', baseUrl: gh.url });
    await expect(readFilesAtRef(octokit, { owner: 'acme', repo: 'astro-config', ref: 'main', paths: ['a.yaml'] })).rejects.toMatchObject({
      status: 401,
    });
  });
});
