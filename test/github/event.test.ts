import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseEvent, readEvent, repoFromEnv, runUrl } from '../../src/github/event.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/github/${name}.json`, import.meta.url));
const read = (name: string, file = name) => readEvent({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: fixture(file) });

describe('readEvent', () => {
  it('reads a pull request from the same repository', async () => {
    expect(await read('pull_request')).toEqual({
      kind: 'pull_request',
      number: 42,
      headSha: '9f2c1e7b3a4d5e6f708192a3b4c5d6e7f8091a2b',
      baseRef: 'main',
      headRepoFullName: 'acme/astro-config',
      isFork: false,
    });
  });

  it('marks a pull request from a fork', async () => {
    expect(await read('pull_request', 'pull_request-fork')).toMatchObject({
      kind: 'pull_request',
      number: 43,
      headRepoFullName: 'stranger/astro-config',
      isFork: true,
    });
  });

  it('treats a pull request whose head repository was deleted as a fork', () => {
    const ev = parseEvent('pull_request', {
      pull_request: { number: 5, head: { sha: 'abc', repo: null }, base: { ref: 'main', repo: { full_name: 'acme/x' } } },
      repository: { full_name: 'acme/x' },
    });
    expect(ev).toMatchObject({ kind: 'pull_request', headRepoFullName: null, isFork: true });
  });

  it('reads a push to the default branch', async () => {
    expect(await read('push', 'push-main')).toEqual({
      kind: 'push',
      sha: '5d41402abc4b2a76b9719d911017c592ae1b2c3d',
      ref: 'refs/heads/main',
      isDefaultBranch: true,
    });
  });

  it('reads a push to another branch as not the default branch', async () => {
    expect(await read('push', 'push-branch')).toMatchObject({ kind: 'push', isDefaultBranch: false });
  });

  it('does not treat the deletion of the default branch as a push to apply', () => {
    const ev = parseEvent('push', { ref: 'refs/heads/main', after: '0'.repeat(40), deleted: true, repository: { default_branch: 'main' } });
    expect(ev).toMatchObject({ kind: 'push', isDefaultBranch: false });
  });

  it('reads schedule and workflow_dispatch', async () => {
    expect(await read('schedule')).toEqual({ kind: 'schedule' });
    expect(await read('workflow_dispatch')).toEqual({ kind: 'workflow_dispatch', ref: 'refs/heads/main', isDefaultBranch: true });
    expect(parseEvent('workflow_dispatch', { ref: 'refs/heads/x', repository: { default_branch: 'main' } })).toMatchObject({ isDefaultBranch: false });
  });

  it('reports other events as unsupported, including pull_request_target', () => {
    expect(parseEvent('issues', {})).toEqual({ kind: 'unsupported', name: 'issues' });
    expect(parseEvent('pull_request_target', {})).toEqual({ kind: 'unsupported', name: 'pull_request_target' });
  });

  it('throws on a pull_request payload without a head SHA', () => {
    expect(() => parseEvent('pull_request', { pull_request: { number: 1, base: { ref: 'main' } } })).toThrow(/head\.sha/);
  });
});

describe('runUrl and repoFromEnv', () => {
  const env = { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'acme/astro-config', GITHUB_RUN_ID: '123456' };
  it('links to the run on the configured server', () => {
    expect(runUrl(env)).toBe('https://ghe.example.com/acme/astro-config/actions/runs/123456');
  });
  it('links to the attempt when the run was re-run', () => {
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe('https://ghe.example.com/acme/astro-config/actions/runs/123456/attempts/2');
  });
  it('defaults to github.com and is undefined outside Actions', () => {
    expect(runUrl({ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '1' })).toBe('https://github.com/a/b/actions/runs/1');
    expect(runUrl({})).toBeUndefined();
  });
  it('splits GITHUB_REPOSITORY', () => {
    expect(repoFromEnv(env)).toEqual({ owner: 'acme', repo: 'astro-config' });
    expect(() => repoFromEnv({})).toThrow(/GITHUB_REPOSITORY/);
  });
});
