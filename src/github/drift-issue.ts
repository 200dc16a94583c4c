import type { Plan } from '../plan/types.ts';
import type { GitHub } from './octokit.ts';
import { isViewer } from './identity.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { code } from '../render/markdown-escape.ts';
import { GITHUB_BODY_LIMIT, capBody } from './limit.ts';
import { expirationsMarkdown, expiryOutcomeMarkdown, type ExpiryOutcome } from './expiry-report.ts';

// One open issue reports drift between the manifest and the live state: opened when a scheduled
// plan has actions or a grant the manifest ended is still held, edited in place while it changes,
// closed with a comment once the state matches. Grants that only end soon open nothing: they are
// listed in the issue while it is open, and in every job summary.

export const DRIFT_MARKER = '<!-- astro-access:drift v1 -->';
export const DRIFT_LABEL = 'astro-access-drift';
export const DRIFT_TITLE = 'astro-access: live deployment roles differ from the manifest';

export type DriftResult =
  | { action: 'opened' | 'updated' | 'unchanged' | 'closed'; number: number; url: string }
  | { action: 'none' };

export interface DriftIssueOptions {
  owner: string;
  repo: string;
  /** The Action's own login: only an issue it opened is edited or closed. */
  viewer: string;
  /** Whether drift remains (driftRemains): the issue is opened or updated, else closed. */
  drift: boolean;
  /** The issue body while drift remains (the marker is added when absent). */
  body: string;
  /** Markdown said before closing (default: the live roles match again). */
  closing?: string;
}

export const CLOSING_COMMENT = '✅ The live deployment roles match the manifest again. Closing.';

/**
 * The open drift issue the Action opened: labelled, with the marker, by its own login, read from every
 * page. Pull requests and anyone else's issues never count, whatever marker they copy.
 */
export async function findDriftIssue(
  octokit: GitHub,
  opts: { owner: string; repo: string; viewer: string },
): Promise<{ number: number; body: string; url: string } | null> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: opts.owner,
    repo: opts.repo,
    state: 'open',
    labels: DRIFT_LABEL,
    per_page: 100,
  });
  const hit = issues
    .filter((i) => i.pull_request === undefined && (i.body ?? '').includes(DRIFT_MARKER) && isViewer(opts.viewer, i.user))
    .sort((a, b) => a.number - b.number)[0]; // the oldest, should there be two
  return hit === undefined ? null : { number: hit.number, body: hit.body ?? '', url: hit.html_url };
}

export async function syncDriftIssue(octokit: GitHub, opts: DriftIssueOptions): Promise<DriftResult> {
  const { owner, repo } = opts;
  const found = await findDriftIssue(octokit, opts);

  if (!opts.drift) {
    if (found === null) return { action: 'none' };
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: found.number,
      body: capBody(opts.closing ?? CLOSING_COMMENT),
    });
    await octokit.rest.issues.update({ owner, repo, issue_number: found.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: found.number, url: found.url };
  }

  const body = capBody(opts.body.includes(DRIFT_MARKER) ? opts.body : `${DRIFT_MARKER}\n${opts.body}`);
  if (found === null) {
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: DRIFT_TITLE,
      body,
      labels: [DRIFT_LABEL],
    });
    return { action: 'opened', number: data.number, url: data.html_url };
  }
  if (found.body === body) return { action: 'unchanged', number: found.number, url: found.url };
  await octokit.rest.issues.update({ owner, repo, issue_number: found.number, body });
  return { action: 'updated', number: found.number, url: found.url };
}

/** At most this share of the body goes to the expiry sections; the plan gets the rest. */
const EXPIRY_SHARE = 0.4;

/**
 * The drift issue's body: a pure function of the plan and what apply-expirations did (no run link or
 * time), so an unchanged drift leaves the issue untouched. The expiry sections come before the plan:
 * an ended grant still held is what a reader must not miss when the body is cut.
 */
export function driftIssueBody(
  plan: Plan,
  opts: { branch?: string; files?: readonly string[]; outcome?: ExpiryOutcome } = {},
): string {
  const where = opts.branch === undefined ? 'the manifest' : `the manifest on ${code(opts.branch)}`;
  const files = opts.files && opts.files.length > 0 ? ` (${opts.files.map((f) => code(f)).join(', ')})` : '';
  const top = [
    DRIFT_MARKER,
    `The live deployment roles differ from ${where}${files}. Merge a manifest change that accepts them,`,
    'or run `astro-access apply` to restore the manifest. This issue is updated by each scheduled check',
    'and closed when the live state matches again.',
    '',
  ].join('\n');
  const budget = GITHUB_BODY_LIMIT - top.length - 1;
  const expiry = expirySections(plan, opts.outcome ?? { kind: 'off' }, Math.floor(budget * EXPIRY_SHARE));
  return top + '\n' + expiry + renderMarkdown(plan, { maxChars: budget - expiry.length, omitExpirations: true });
}

/** The expirations table and what apply-expirations did, each followed by a blank line; '' when neither. */
export function expirySections(plan: Plan, outcome: ExpiryOutcome, maxChars: number): string {
  const outcomeText = expiryOutcomeMarkdown(outcome, { maxChars: Math.floor(maxChars / 2) });
  const table = expirationsMarkdown(plan, outcome, { maxChars: maxChars - outcomeText.length - 2 });
  return [outcomeText, table].filter((t) => t !== '').map((t) => `${t}\n`).join('');
}
