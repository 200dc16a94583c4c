import { afterEach, describe, expect, it } from 'vitest';
import { isViewer, viewerLogin } from '../../src/github/identity.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import { PLAN_STATUS_CONTEXT, planStatusDescription, readPlanStatus, writePlanStatus } from '../../src/github/plan-status.ts';
import { BOT, HUMAN, OTHER_BOT, startGitHubServer, type GitHubServer } from '../support/github-server.ts';

// Who the Action is (GraphQL viewer), and the commit status that records the reviewed checksum.

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const SHA = 'a'.repeat(40);
const SUM = `sha256:${'c'.repeat(64)}`;
const repo = { owner: 'acme', repo: 'astro-config' };

describe('viewerLogin', () => {
  it('asks GraphQL viewer, which answers for the workflow token where REST /user is refused', async () => {
    gh = await startGitHubServer({ token: 'ghs_x' });
    const octokit = makeOctokit({ token: 'ghs_x', baseUrl: gh.url });
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 });
    expect(await viewerLogin(octokit)).toBe(BOT.login);
  });

  it('finds GraphQL beside /api/v3 on GitHub Enterprise Server', async () => {
    gh = await startGitHubServer({ token: 'ghp_e', pathPrefix: '/api/v3', identity: HUMAN });
    expect(await viewerLogin(makeOctokit({ token: 'ghp_e', baseUrl: gh.url }))).toBe(HUMAN.login);
  });
});

describe('isViewer', () => {
  it('matches a bot with or without [bot], a person only exactly, and nobody else', () => {
    expect(isViewer('github-actions[bot]', BOT)).toBe(true);
    expect(isViewer('github-actions', BOT)).toBe(true);
    expect(isViewer('GitHub-Actions', BOT)).toBe(true);
    expect(isViewer('github-actions', OTHER_BOT)).toBe(false);
    expect(isViewer('github-actions', HUMAN)).toBe(false);
    expect(isViewer('octocat', HUMAN)).toBe(true);
    expect(isViewer('octocat', { login: 'octocat[bot]', type: 'User' })).toBe(false);
    expect(isViewer('octocat', null)).toBe(false);
  });
});

describe('the plan status', () => {
  it('is written on the head commit and read back only when the Action posted it', async () => {
    gh = await startGitHubServer({ token: 'ghs_x' });
    const octokit = makeOctokit({ token: 'ghs_x', baseUrl: gh.url });
    expect(await readPlanStatus(octokit, { ...repo, sha: SHA, viewer: BOT.login })).toBeNull();

    await writePlanStatus(octokit, { ...repo, sha: SHA, state: 'success', description: planStatusDescription('success', SUM) });
    const [mine] = gh.state.statuses.get(SHA) ?? [];
    expect(mine).toMatchObject({ context: PLAN_STATUS_CONTEXT, state: 'success', creator: { login: BOT.login } });
    expect(await readPlanStatus(octokit, { ...repo, sha: SHA, viewer: BOT.login })).toMatchObject({ state: 'success', checksum: SUM });

    // A person (anyone with write access) posts a newer status with another checksum: ignored.
    const forged = `sha256:${'f'.repeat(64)}`;
    gh.seedStatus(SHA, { state: 'success', context: PLAN_STATUS_CONTEXT, description: `Reviewed plan ${forged}` }, HUMAN);
    gh.seedStatus(SHA, { state: 'success', context: PLAN_STATUS_CONTEXT, description: `Reviewed plan ${forged}` }, OTHER_BOT);
    expect(await readPlanStatus(octokit, { ...repo, sha: SHA, viewer: BOT.login })).toMatchObject({ state: 'success', checksum: SUM });

    // The Action's own newer failure status replaces its success.
    await writePlanStatus(octokit, { ...repo, sha: SHA, state: 'failure', description: planStatusDescription('failure', null, 'refused') });
    expect(await readPlanStatus(octokit, { ...repo, sha: SHA, viewer: BOT.login })).toMatchObject({ state: 'failure', checksum: null });
  });

  it('keeps the description within GitHub’s 140 characters', () => {
    expect(planStatusDescription('success', SUM).length).toBeLessThanOrEqual(140);
    expect(planStatusDescription('failure', null, 'x'.repeat(300)).length).toBeLessThanOrEqual(140);
  });
});
