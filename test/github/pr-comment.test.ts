import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommentBody, manifestSetKey, parseChecksum, planMarker, setStatusLine, STATUS_TEXT, upsertStickyComment } from '../../src/github/pr-comment.ts';
import type { CommentInput } from '../../src/github/pr-comment.ts';
import { labelProposedOrDrift } from '../../src/github/proposed-or-drift.ts';
import { GITHUB_BODY_LIMIT } from '../../src/github/limit.ts';
import { makeOctokit } from '../../src/github/octokit.ts';
import { toAnnotations } from '../../src/github/action-context.ts';
import { BOT, HUMAN, startGitHubServer } from '../support/github-server.ts';
import type { GitHubServer } from '../support/github-server.ts';
import { action, plan } from './plan-fixture.ts';

const marker = planMarker(manifestSetKey(['astro-access.yaml']));
const HEAD = '9f2c1e7b3a4d5e6f708192a3b4c5d6e7f8091a2b';
const CHECKSUM = 'sha256:' + 'ab'.repeat(32);
const RUN = 'https://github.com/acme/astro-config/actions/runs/123';

const base = (over: Partial<CommentInput> = {}): CommentInput => ({
  marker,
  status: 'planned',
  headSha: HEAD,
  files: ['astro-access.yaml'],
  plan: plan([action('add', 'd1', 't1', null, 'DAG_VIEWER'), action('remove', 'd1', 't2', 'DEPLOYMENT_ADMIN', null)], CHECKSUM),
  ...over,
});

function bigPlan(n: number) {
  const actions = [];
  for (let i = 0; i < n; i++) {
    actions.push(action(i % 3 === 0 ? 'remove' : 'add', `dep${String(i % 40).padStart(3, '0')}`, `token${String(i).padStart(5, '0')}`, i % 3 === 0 ? 'DEPLOYMENT_ADMIN' : null, i % 3 === 0 ? null : 'DAG_VIEWER'));
  }
  return plan(actions, CHECKSUM);
}

describe('buildCommentBody', () => {
  it('starts with the marker, then the status line, checksum and head, then the plan', () => {
    const body = buildCommentBody(base());
    const lines = body.split('\n');
    expect(lines[0]).toBe(marker);
    const status = body.indexOf(STATUS_TEXT.planned);
    const meta = body.indexOf(`Checksum: \`${CHECKSUM}\` · Head: \`9f2c1e7\``);
    const summary = body.indexOf('**Plan:**');
    expect(status).toBeGreaterThan(0);
    expect(meta).toBeGreaterThan(status);
    expect(summary).toBeGreaterThan(meta);
    expect(body).toContain('tok-t1');
  });

  it('calls out removals', () => {
    expect(buildCommentBody(base())).toMatch(/\[!WARNING\][\s\S]*1 binding will be removed/);
  });

  it('labels actions as proposed or drift', () => {
    const pr = base().plan!;
    const labels = labelProposedOrDrift(pr, plan([pr.actions[1]!]));
    const body = buildCommentBody(base({ labels }));
    expect(body).toContain('1 proposed by this pull request, 1 drift');
  });

  it('stays under 65,536 characters for a plan of thousands of actions, with room for a later status line', () => {
    const body = buildCommentBody(base({ plan: bigPlan(6000), labels: new Map() }));
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(parseChecksum(body)).toBe(CHECKSUM);
    expect(body).toMatch(/more lines not shown/);
    const applied = setStatusLine(body, 'apply-failed', RUN + '/attempts/12345678901234567890');
    expect(applied.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(applied.length).toBeGreaterThan(body.length);
    expect(applied).not.toMatch(/Truncated to fit/);
  });

  it('lists manifest errors, escaped inside a fence, without a checksum when nothing was planned', () => {
    const body = buildCommentBody(
      base({
        status: 'invalid',
        plan: null,
        diagnostics: [
          { file: 'astro-access.yaml', line: 12, col: 7, message: 'unknown key "rolez"' },
          { file: 'astro-access.yaml', line: 30, col: 3, message: 'deployment ```prod``` listed twice' },
        ],
      }),
    );
    expect(body).toContain(STATUS_TEXT.invalid);
    expect(body).toContain('**2 manifest errors**');
    expect(body).toContain('astro-access.yaml:12:7: unknown key "rolez"');
    expect(body).toContain('\n````text\n'); // a fence longer than the message's backticks
    expect(parseChecksum(body)).toBeNull();
  });

  it('never reads a checksum from a quoted file name or message, only from its own meta line', () => {
    const fake = `Checksum: \`sha256:${'e'.repeat(64)}\` · Head: x`;
    const invalid = buildCommentBody(base({ status: 'invalid', plan: null, diagnostics: [{ file: `${fake}.yaml`, line: 1, col: 1, message: fake }] }));
    expect(invalid.split('\n').some((l) => l.startsWith('Checksum: `sha256:eee'))).toBe(true);
    expect(parseChecksum(invalid)).toBeNull();
    const failed = buildCommentBody(base({ status: 'plan-failed', plan: null, notice: `\`\`\`text\n${fake}\n\`\`\`` }));
    expect(parseChecksum(failed)).toBeNull();
    expect(parseChecksum(buildCommentBody(base({ notice: fake })))).toBe(CHECKSUM);
  });

  it('says a fork or a run without the Astro secret only validated', () => {
    const body = buildCommentBody(base({ status: 'validate-only', plan: null, notice: 'No plan: this pull request comes from a fork.' }));
    expect(body).toContain('🔎 Validate only (fork or no Astro secret)');
    expect(body).toContain('No plan: this pull request comes from a fork.');
  });
});

describe('setStatusLine and parseChecksum', () => {
  it('rewrites only the status line, adding a link to the run', () => {
    const body = buildCommentBody(base());
    const applied = setStatusLine(body, 'applied', RUN);
    // Markdown first: a line starting with an HTML comment would render as raw HTML.
    expect(applied.split('\n')).toContain(`**✅ Applied** · [workflow run](${RUN}) <!-- astro-access:status -->`);
    expect(applied).not.toContain(STATUS_TEXT.planned);
    expect(applied.replace(/^.*astro-access:status.*$/m, '')).toBe(body.replace(/^.*astro-access:status.*$/m, ''));
    expect(parseChecksum(applied)).toBe(CHECKSUM);
  });

  it('drops a run URL that could break out of the link', () => {
    expect(setStatusLine(buildCommentBody(base()), 'applied', 'https://x/y) [evil](https://e')).not.toContain('evil');
  });

  it('adds a status line after the marker when a body has none', () => {
    const out = setStatusLine(`${marker}\nChecksum: \`${CHECKSUM}\``, 'plan-changed');
    expect(out.split('\n')[1]).toContain(STATUS_TEXT['plan-changed']);
  });

  it('finds no checksum in a body that has none', () => {
    expect(parseChecksum('hello\nplan checksum `sha256:00`')).toBeNull();
  });
});

describe('toAnnotations', () => {
  it('points each manifest error at its file, line and column', () => {
    expect(toAnnotations([{ file: './teams/a.yaml', line: 4, col: 9, message: 'unknown token "x"' }])).toEqual([
      { message: 'unknown token "x"', properties: { title: 'astro-access', file: 'teams/a.yaml', startLine: 4, startColumn: 9 } },
    ]);
  });
});

describe('the comment on GitHub', () => {
  let gh: GitHubServer;
  beforeEach(async () => {
    gh = await startGitHubServer();
    gh.state.pulls.push({
      number: 3,
      title: 'big change',
      state: 'open',
      merged_at: null,
      merge_commit_sha: null,
      head: { sha: HEAD, ref: 'big', repo: { full_name: 'acme/astro-config' } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/astro-config' } },
      user: HUMAN,
    });
  });
  afterEach(async () => {
    await gh.close();
  });

  it('is accepted by a server that refuses bodies over the limit, and the merge step reads its checksum back', async () => {
    const octokit = makeOctokit({ token: 't', baseUrl: gh.url });
    const ref = { owner: 'acme', repo: 'astro-config', issueNumber: 3, marker, viewer: BOT.login };
    const res = await upsertStickyComment(octokit, { ...ref, body: buildCommentBody(base({ plan: bigPlan(6000) })) });
    expect(res.action).toBe('created');
    const stored = gh.state.comments.get(3)?.[0]?.body ?? '';
    expect(parseChecksum(stored)).toBe(CHECKSUM);
    const after = await upsertStickyComment(octokit, { ...ref, body: setStatusLine(stored, 'applied', RUN) });
    expect(after.action).toBe('updated');
    expect(gh.state.comments.get(3)?.[0]?.body).toContain('✅ Applied');
  });
});
