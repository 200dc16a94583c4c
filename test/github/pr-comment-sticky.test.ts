import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findStickyComment, manifestSetKey, planMarker, upsertStickyComment } from '../../src/github/pr-comment.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { GITHUB_BODY_LIMIT } from '../../src/github/limit.ts';
import { BOT, HUMAN, OTHER_BOT, startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer } from '../support/github-server.ts';

const TOKEN = 'ghs_secretTokenValue0123456789';
const owner = 'acme';
const repo = 'astro-config';
const marker = planMarker(manifestSetKey(['astro-access.yaml']));
const PR = 7;

let gh: GitHubServer;
let octokit: GitHub;

beforeEach(async () => {
  gh = await startGitHubServer({ token: TOKEN });
  gh.state.pulls.push({
    number: PR,
    title: 'Grant dag-reader',
    state: 'open',
    merged_at: null,
    merge_commit_sha: null,
    head: { sha: 'a'.repeat(40), ref: 'feature', repo: { full_name: 'acme/astro-config' } },
    base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/astro-config' } },
    user: HUMAN,
  });
  octokit = makeOctokit({ token: TOKEN, baseUrl: gh.url });
});
afterEach(async () => {
  await gh.close();
});

const viewer = BOT.login;
const ref = (body: string) => ({ owner, repo, issueNumber: PR, marker, viewer, body });

describe('manifestSetKey', () => {
  it('ignores order, duplicates and a leading ./', () => {
    expect(manifestSetKey(['b.yaml', './a.yaml', 'a.yaml'])).toBe(manifestSetKey(['a.yaml', 'b.yaml']));
  });
  it('differs between manifest sets', () => {
    expect(manifestSetKey(['a.yaml'])).not.toBe(manifestSetKey(['b.yaml']));
  });
});

describe('upsertStickyComment', () => {
  it('creates one comment, updates it in place when the body changes, and writes nothing when it does not', async () => {
    const first = await upsertStickyComment(octokit, ref(`${marker}\nplan one`));
    expect(first.action).toBe('created');
    expect(gh.state.comments.get(PR)).toHaveLength(1);

    const second = await upsertStickyComment(octokit, ref(`${marker}\nplan two`));
    expect(second).toMatchObject({ action: 'updated', id: first.action === 'created' ? first.id : -1 });
    expect(gh.state.comments.get(PR)).toHaveLength(1);
    expect(gh.state.comments.get(PR)?.[0]?.body).toBe(`${marker}\nplan two`);

    const writesBefore = gh.writes().length;
    const third = await upsertStickyComment(octokit, ref(`${marker}\nplan two`));
    expect(third.action).toBe('unchanged');
    expect(gh.writes()).toHaveLength(writesBefore);
    expect(gh.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  it('returns the comment URL on the pull request', async () => {
    const res = await upsertStickyComment(octokit, ref('body without marker'));
    expect(res.action).toBe('created');
    if (res.action !== 'created') return;
    expect(res.url).toBe(`https://github.com/acme/astro-config/pull/${PR}#issuecomment-${res.id}`);
    // The marker is added when the caller's body lacks it, so the comment can be found again.
    expect(gh.state.comments.get(PR)?.[0]?.body.startsWith(marker)).toBe(true);
  });

  it('finds the marker beyond the first page among 150 comments and updates that comment', async () => {
    for (let i = 0; i < 140; i++) gh.seedComment(PR, `chatter ${i}`);
    const mine = gh.seedComment(PR, `${marker}\nold plan`, BOT);
    for (let i = 0; i < 9; i++) gh.seedComment(PR, `more chatter ${i}`);
    expect(gh.state.comments.get(PR)).toHaveLength(150);

    const res = await upsertStickyComment(octokit, ref(`${marker}\nnew plan`));
    expect(res).toMatchObject({ action: 'updated', id: mine.id });
    expect(gh.state.comments.get(PR)).toHaveLength(150);
    const pages = gh.requests.filter((r) => r.method === 'GET' && r.path.includes(`/issues/${PR}/comments`));
    expect(pages.length).toBe(2);
  });

  it('reads all pages even at the default page size of 30', async () => {
    for (let i = 0; i < 70; i++) gh.seedComment(PR, `chatter ${i}`);
    const mine = gh.seedComment(PR, `${marker}\nx`, BOT);
    const found = await findStickyComment(octokit, { owner, repo, issueNumber: PR, marker, viewer });
    expect(found?.id).toBe(mine.id);
  });

  it('finds only its own comments, the newest, never a person or another app that copied the marker', async () => {
    const older = gh.seedComment(PR, `${marker}\nbot old`, BOT);
    const newer = gh.seedComment(PR, `${marker}\nbot new`, BOT);
    gh.seedComment(PR, `${marker}\nforged by a person`, HUMAN);
    gh.seedComment(PR, `${marker}\nforged by another app`, OTHER_BOT);
    const found = await findStickyComment(octokit, { owner, repo, issueNumber: PR, marker, viewer });
    expect(found?.id).toBe(newer.id);
    expect(found?.id).not.toBe(older.id);
  });

  it('never edits a marker comment someone else wrote: it writes its own', async () => {
    const person = gh.seedComment(PR, `${marker}\nChecksum: \`sha256:${'0'.repeat(64)}\``, HUMAN);
    const app = gh.seedComment(PR, `${marker}\nfrom another app`, OTHER_BOT);
    const res = await upsertStickyComment(octokit, ref(`${marker}\nour plan`));
    expect(res.action).toBe('created');
    expect(gh.writes().map((r) => r.method)).toEqual(['POST']);
    const comments = gh.state.comments.get(PR) ?? [];
    expect(comments.find((c) => c.id === person.id)?.body).toContain('sha256:' + '0'.repeat(64));
    expect(comments.find((c) => c.id === app.id)?.body).toContain('from another app');
    expect(comments.at(-1)?.user.login).toBe(BOT.login);
  });

  it('keeps one comment per manifest set: another marker is another comment', async () => {
    const other = planMarker(manifestSetKey(['teams/other.yaml']));
    await upsertStickyComment(octokit, ref(`${marker}\nA`));
    await upsertStickyComment(octokit, { owner, repo, issueNumber: PR, marker: other, viewer, body: `${other}\nB` });
    expect(gh.state.comments.get(PR)).toHaveLength(2);
  });

  it('caps a body over 65,536 characters so GitHub accepts it', async () => {
    const huge = `${marker}\n` + 'x'.repeat(80).concat('\n').repeat(1200);
    expect(huge.length).toBeGreaterThan(GITHUB_BODY_LIMIT);
    const res = await upsertStickyComment(octokit, ref(huge));
    expect(res.action).toBe('created');
    const stored = gh.state.comments.get(PR)?.[0]?.body ?? '';
    expect(stored.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(stored.startsWith(marker)).toBe(true);
    expect(stored).toContain('Truncated');
    // Re-running with the same oversize body is recognized as unchanged.
    expect((await upsertStickyComment(octokit, ref(huge))).action).toBe('unchanged');
  });

  it('surfaces a fork’s 403 on write as a typed result instead of throwing', async () => {
    await gh.close();
    gh = await startGitHubServer({ token: TOKEN, readOnly: true });
    gh.state.pulls.push({
      number: PR,
      title: 'from a fork',
      state: 'open',
      merged_at: null,
      merge_commit_sha: null,
      head: { sha: 'c'.repeat(40), ref: 'patch-1', repo: { full_name: 'stranger/astro-config' } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/astro-config' } },
      user: HUMAN,
    });
    octokit = makeOctokit({ token: TOKEN, baseUrl: gh.url });
    const res = await upsertStickyComment(octokit, ref(`${marker}\nplan`));
    expect(res).toEqual({ action: 'forbidden', message: 'Resource not accessible by integration' });
    expect(gh.state.comments.get(PR) ?? []).toHaveLength(0);
  });

  it('rethrows other errors (a pull request that does not exist)', async () => {
    await expect(upsertStickyComment(octokit, { ...ref('x'), issueNumber: 999 })).rejects.toMatchObject({ status: 404 });
  });

  it('never sends the token in a request body or a comment', async () => {
    await upsertStickyComment(octokit, ref(`${marker}\none`));
    await upsertStickyComment(octokit, ref(`${marker}\ntwo`));
    for (const r of gh.requests) expect(JSON.stringify(r.body ?? '')).not.toContain(TOKEN);
    for (const c of gh.state.comments.get(PR) ?? []) expect(c.body).not.toContain(TOKEN);
    expect(gh.requests.every((r) => r.userAgent?.startsWith('astro-access'))).toBe(true);
  });
});
