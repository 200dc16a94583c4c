import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRIFT_LABEL, DRIFT_MARKER, driftIssueBody, syncDriftIssue } from '../../src/github/drift-issue.ts';
import { driftRemains, type ExpiryOutcome } from '../../src/github/expiry-report.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { BOT, HUMAN, startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { action, expiration, expiryRemoval, plan } from './plan-fixture.ts';

const owner = 'acme';
const repo = 'astro-config';
const drift1 = plan([action('remove', 'd1', 't1', 'DEPLOYMENT_ADMIN', null)], 'sha256:' + '1'.repeat(64));
const drift2 = plan([action('remove', 'd1', 't1', 'DEPLOYMENT_ADMIN', null), action('add', 'd2', 't3', null, 'DAG_VIEWER')], 'sha256:' + '2'.repeat(64));
const clean = plan([], 'sha256:' + '0'.repeat(64));

let gh: GitHubServer;
let octokit: GitHub;
beforeEach(async () => {
  gh = await startGitHubServer();
  octokit = makeOctokit({ token: 'ghs_drift', baseUrl: gh.url });
});
afterEach(async () => {
  await gh.close();
});

const sync = (p: typeof clean) =>
  syncDriftIssue(octokit, { owner, repo, viewer: BOT.login, drift: driftRemains(p, { kind: 'off' }), body: driftIssueBody(p, { branch: 'main' }) });

describe('syncDriftIssue', () => {
  it('opens one labelled issue, updates it when drift changes, leaves it when not, and closes it with a comment when clean', async () => {
    const opened = await sync(drift1);
    expect(opened.action).toBe('opened');
    expect(gh.state.issues).toHaveLength(1);
    const issue = gh.state.issues[0]!;
    expect(issue.labels.map((l) => l.name)).toEqual([DRIFT_LABEL]);
    expect(issue.body?.startsWith(DRIFT_MARKER)).toBe(true);
    expect(issue.body).toContain('tok-t1');

    const updated = await sync(drift2);
    expect(updated).toMatchObject({ action: 'updated', number: issue.number });
    expect(gh.state.issues).toHaveLength(1);
    expect(issue.body).toContain('tok-t3');

    const writes = gh.writes().length;
    expect(await sync(drift2)).toMatchObject({ action: 'unchanged', number: issue.number });
    expect(gh.writes()).toHaveLength(writes);

    const closed = await sync(clean);
    expect(closed).toMatchObject({ action: 'closed', number: issue.number });
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    expect(gh.state.comments.get(issue.number)?.[0]?.body).toMatch(/match the manifest again/);
    // The comment comes before the close, so it is part of the issue's story when it closes.
    expect(gh.writes().slice(-2).map((r) => r.method + ' ' + r.path.replace(/\?.*/, ''))).toEqual([
      `POST /repos/acme/astro-config/issues/${issue.number}/comments`,
      `PATCH /repos/acme/astro-config/issues/${issue.number}`,
    ]);
  });

  it('does nothing when clean and no drift issue is open', async () => {
    expect(await sync(clean)).toEqual({ action: 'none' });
    expect(gh.writes()).toHaveLength(0);
  });

  it('opens a new issue after the previous one was closed', async () => {
    await sync(drift1);
    await sync(clean);
    const again = await sync(drift1);
    expect(again.action).toBe('opened');
    expect(gh.state.issues.filter((i) => i.state === 'open')).toHaveLength(1);
    expect(gh.state.issues).toHaveLength(2);
  });

  it('finds its issue beyond the first page, ignoring pull requests and labelled issues without the marker', async () => {
    gh.state.pulls.push({
      number: 1, // older than our issue: only the pull_request filter keeps it out
      title: 'a pull request quoting the marker',
      body: `${DRIFT_MARKER}\nquoted`,
      labels: [{ id: 1, name: DRIFT_LABEL }],
      state: 'open',
      merged_at: null,
      merge_commit_sha: null,
      head: { sha: 'a'.repeat(40), ref: 'x', repo: { full_name: 'acme/astro-config' } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/astro-config' } },
      user: HUMAN,
    });
    for (let i = 0; i < 120; i++) gh.seedIssue({ title: `other ${i}`, labels: [{ id: 1, name: DRIFT_LABEL }], body: 'not ours', user: HUMAN });
    const ours = gh.seedIssue({ title: 'drift', labels: [{ id: 1, name: DRIFT_LABEL }], body: `${DRIFT_MARKER}\nold` });
    for (let i = 0; i < 110; i++) gh.seedIssue({ title: `newer ${i}`, labels: [{ id: 1, name: DRIFT_LABEL }], body: 'x', user: HUMAN });
    const res = await sync(drift1);
    expect(res).toMatchObject({ action: 'updated', number: ours.number });
    // 232 open labelled items, newest first: ours is on page 2 of 3, and every page is read.
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/repos/acme/astro-config/issues?'))).toHaveLength(3);
    expect(gh.state.pulls[0]?.body).toBe(`${DRIFT_MARKER}\nquoted`);
  });

  it('never edits or closes a drift issue someone else opened with the marker and label', async () => {
    const forged = gh.seedIssue({ title: 'drift', labels: [{ id: 1, name: DRIFT_LABEL }], body: `${DRIFT_MARKER}\nby a person`, user: HUMAN });
    const opened = await sync(drift1);
    expect(opened.action).toBe('opened');
    expect(await sync(clean)).toMatchObject({ action: 'closed' });
    expect(gh.state.issues.find((i) => i.number === forged.number)).toMatchObject({ state: 'open', body: `${DRIFT_MARKER}\nby a person` });
    expect(gh.writes().some((r) => r.path.includes(`/issues/${forged.number}`))).toBe(false);
  });

  it('never writes the token into an issue or a comment', async () => {
    await sync(drift1);
    await sync(clean);
    for (const r of gh.requests) expect(JSON.stringify(r.body ?? '')).not.toContain('ghs_drift');
  });
});

describe('syncDriftIssue with expiring grants', () => {
  const ended = expiryRemoval('d1', 't1', 'DEPLOYMENT_ADMIN');

  it('opens nothing for grants that only end soon, and closes an open issue then', async () => {
    const soon = plan([]);
    soon.expirations = [expiration(action('add', 'd1', 't1', null, 'X'), { expired: false })];
    expect(await sync(soon)).toEqual({ action: 'none' });
    expect(gh.writes()).toHaveLength(0);
    await sync(drift1);
    expect(await sync(soon)).toMatchObject({ action: 'closed' });
  });

  it('keeps the issue open while an ended grant is still held with prune off (no action in the plan)', async () => {
    const held = plan([]);
    held.unmanaged = [{ deployment: ended.deployment, subject: ended.subject, role: 'DEPLOYMENT_ADMIN', reason: 'expired on 2026-01-01 and prune is off for this deployment' }];
    held.expirations = [expiration(ended)];
    const opened = await sync(held);
    expect(opened.action).toBe('opened');
    expect(gh.state.issues[0]?.body).toContain('**expired, still held**');
  });

  it('closes with a comment saying which expired grants apply-expirations removed', async () => {
    const p = plan([ended]);
    p.expirations = [expiration(ended)];
    const opened = await sync(p);
    expect(opened.action).toBe('opened');
    const outcome: ExpiryOutcome = { kind: 'applied', removed: [ended] };
    const res = await syncDriftIssue(octokit, {
      owner, repo, viewer: BOT.login, drift: driftRemains(p, outcome), body: driftIssueBody(p, { outcome }),
      closing: 'Removed tok-t1 (expired). Closing.',
    });
    expect(res).toMatchObject({ action: 'closed' });
    expect(gh.state.comments.get(gh.state.issues[0]!.number)?.[0]?.body).toBe('Removed tok-t1 (expired). Closing.');
  });
});

describe('driftIssueBody', () => {
  it('depends only on the plan, so an unchanged drift gives an identical body', () => {
    expect(driftIssueBody(drift1, { branch: 'main' })).toBe(driftIssueBody(structuredClone(drift1), { branch: 'main' }));
    expect(driftIssueBody(drift1)).not.toBe(driftIssueBody(drift2));
  });
});
