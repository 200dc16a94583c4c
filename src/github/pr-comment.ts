import { createHash } from 'node:crypto';
import type { Diagnostic } from '../manifest/types.ts';
import type { Plan } from '../plan/types.ts';
import { formatDiagnostic } from '../errors.ts';
import { renderMarkdown, type ActionLabel } from '../render/markdown.ts';
import { code, escapeCodeLine, escapeMarkdownText as esc, fenceFor } from '../render/markdown-escape.ts';
import { countKinds, groupByDeployment } from '../render/wording.ts';
import { isViewer } from './identity.ts';
import { GITHUB_BODY_LIMIT, capBody } from './limit.ts';
import { repoPath } from './manifest-glob.ts';
import type { GitHub } from './octokit.ts';
import { githubMessage, isWriteForbidden } from './octokit.ts';

// The one pull-request comment: what it says (marker, status line, summary, checksum and head, then
// the plan) and where it is. The status line carries a hidden tag so the merge step can rewrite it in
// place, and the checksum line is what the merge step compares against its own re-plan. One comment
// per pull request and manifest set, found again by a hidden, versioned marker and its author (the
// Action's own login), edited in place, and left alone when its body would not change.

export type CommentStatus =
  | 'planned'
  | 'refused'
  | 'plan-failed'
  | 'applied'
  | 'apply-failed'
  | 'plan-changed'
  | 'validate-only'
  | 'invalid';

export const STATUS_TEXT: Record<CommentStatus, string> = {
  planned: '⏳ Planned',
  refused: '❌ Apply would refuse this plan',
  'plan-failed': '❌ Plan failed',
  applied: '✅ Applied',
  'apply-failed': '❌ Apply failed',
  'plan-changed': '⚠️ Plan changed since this comment',
  'validate-only': '🔎 Validate only (fork or no Astro secret)',
  invalid: '❌ Manifest invalid',
};

const STATUS_TAG = '<!-- astro-access:status -->';
/** Room kept so a later status line (longest text plus a run link) still fits under the limit. */
const STATUS_RESERVE = 600;
const MAX_DIAGNOSTICS = 200;
/** A plan with more actions than this starts with a table of counts per deployment. */
export const LARGE_PLAN_ACTIONS = 30;
const MAX_TABLE_ROWS = 100;

export interface CommentInput {
  /** The sticky comment's marker (see planMarker). */
  marker: string;
  status: CommentStatus;
  headSha: string;
  /** The manifest files of this set, shown in the heading. */
  files: readonly string[];
  /** Absent when only validated. */
  plan?: Plan | null;
  labels?: Map<string, ActionLabel>;
  diagnostics?: readonly Diagnostic[];
  /** The caller's own markdown, e.g. why this run only validated. */
  notice?: string;
  runUrl?: string;
  /** Link to the head commit. */
  headUrl?: string;
}

/** A URL that cannot break out of a markdown link. */
const SAFE_URL = /^https?:\/\/[^\s()<>[\]]+$/;

export function statusLine(status: CommentStatus, runUrl?: string): string {
  const link = runUrl !== undefined && SAFE_URL.test(runUrl) ? ` · [workflow run](${runUrl})` : '';
  // The tag goes last: a line that starts with `<!--` is a raw HTML block, and its markdown would not render.
  return `**${STATUS_TEXT[status]}**${link} ${STATUS_TAG}`;
}

function shortSha(sha: string): string {
  return sha.replace(/[^0-9a-f]/gi, '').slice(0, 7);
}

/** Per deployment, how many bindings are added, changed and removed: the shape of a large plan at a glance. */
function deploymentTable(plan: Plan): string[] {
  if (plan.actions.length <= LARGE_PLAN_ACTIONS) return [];
  const groups = groupByDeployment({ actions: plan.actions, unmanaged: [], ignored: [] });
  const rows = groups.slice(0, MAX_TABLE_ROWS).map((g) => {
    const n = countKinds(g.actions);
    return `| ${esc(g.deployment.name)} ${code(g.deployment.id)} | ${esc(g.deployment.workspaceName)} | ${n.add} | ${n.update} | ${n.remove} |`;
  });
  const more = groups.length - rows.length;
  return [
    '| Deployment | Workspace | + add | ~ change | − remove |',
    '|---|---|--:|--:|--:|',
    ...rows,
    ...(more > 0 ? [`| _… and ${more} more deployments_ | | | | |`] : []),
    '',
  ];
}

function diagnosticsSection(diags: readonly Diagnostic[]): string[] {
  if (diags.length === 0) return [];
  const shown = diags.slice(0, MAX_DIAGNOSTICS).map((d) => escapeCodeLine(formatDiagnostic(d)));
  const fence = fenceFor(shown);
  const more = diags.length - shown.length;
  return [
    `**${diags.length} manifest ${diags.length === 1 ? 'error' : 'errors'}** (also annotated on the manifest lines):`,
    '',
    fence + 'text',
    ...shown,
    fence,
    ...(more > 0 ? ['', `_… and ${more} more; see the annotations of this run._`] : []),
    '',
  ];
}

export function buildCommentBody(input: CommentInput): string {
  const plan = input.plan ?? null;
  const head = shortSha(input.headSha);
  const headText = input.headUrl !== undefined && SAFE_URL.test(input.headUrl) ? `[\`${head}\`](${input.headUrl})` : `\`${head}\``;
  const files = input.files.map((f) => code(f)).join(', ');
  const meta = plan ? `Checksum: \`${plan.checksum.replace(/`/g, '')}\` · Head: ${headText}` : `Head: ${headText}`;
  const top = [
    input.marker,
    `### astro-access${files === '' ? '' : ` · ${files}`}`,
    '',
    statusLine(input.status, input.runUrl),
    '',
    meta,
    '',
    ...(input.notice === undefined ? [] : [input.notice, '']),
    ...diagnosticsSection(input.diagnostics ?? []),
    ...(plan === null ? [] : deploymentTable(plan)),
  ].join('\n');
  if (plan === null) return capBody(top, GITHUB_BODY_LIMIT - STATUS_RESERVE);
  const maxChars = GITHUB_BODY_LIMIT - STATUS_RESERVE - top.length - 1;
  const md = renderMarkdown(plan, {
    maxChars: Math.max(1_000, maxChars),
    ...(input.labels === undefined ? {} : { labels: input.labels }),
    fullPlanHint: 'the full plan is in the job summary of the workflow run',
  });
  return capBody(`${top}\n${md}`, GITHUB_BODY_LIMIT - STATUS_RESERVE);
}

/**
 * The checksum the comment showed, or null when it shows none (validate-only, invalid, plan failed).
 * Only the comment's own meta line counts: it comes before any notice, diagnostic or plan line, which
 * may quote a file name or message that looks like one.
 */
export function parseChecksum(body: string): string | null {
  const meta = /^(?:Checksum|Head): .*$/m.exec(body)?.[0] ?? '';
  return /^Checksum: `(sha256:[0-9a-f]{64})` · Head: /.exec(meta)?.[1] ?? null;
}

/** The same body with its status line replaced (or added after the marker when it has none). */
export function setStatusLine(body: string, status: CommentStatus, runUrl?: string): string {
  const line = statusLine(status, runUrl);
  const lines = body.split('\n');
  const at = lines.findIndex((l) => l.endsWith(STATUS_TAG));
  if (at >= 0) lines[at] = line;
  else {
    const marker = lines.findIndex((l) => l.includes('<!-- astro-access:plan '));
    lines.splice(marker + 1, 0, line);
  }
  return capBody(lines.join('\n'));
}

// ---- Where it is: found by marker and author, created or edited in place.

export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface FoundComment {
  id: number;
  body: string;
  url: string;
}

export type UpsertResult =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  /** The token may not write here (a fork's read-only token): nothing was written. */
  | { action: 'forbidden'; message: string };

/** Key of a manifest set: the same files, in any order or spelling of `./`, give the same key. */
export function manifestSetKey(files: readonly string[]): string {
  const norm = [...new Set(files.map(repoPath))].sort();
  return createHash('sha256').update(norm.join('\n')).digest('hex').slice(0, 12);
}

export function planMarker(key: string): string {
  return `<!-- astro-access:plan v1 key=${key} -->`;
}

/**
 * The newest comment holding `marker` that `viewer` (the Action's own login) wrote, read from every
 * page. A comment by anyone else is never returned, whatever it holds: a person or another app can
 * copy the marker, and what it says must never be edited or trusted.
 */
export async function findStickyComment(
  octokit: GitHub,
  ref: IssueRef & { marker: string; viewer: string },
): Promise<FoundComment | null> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    per_page: 100,
  });
  let best: (typeof comments)[number] | undefined;
  for (const c of comments) {
    if (c.body?.includes(ref.marker) !== true || !isViewer(ref.viewer, c.user)) continue;
    if (best === undefined || c.created_at.localeCompare(best.created_at) > 0 || (c.created_at === best.created_at && c.id > best.id)) best = c;
  }
  if (best === undefined) return null;
  return { id: best.id, body: best.body ?? '', url: best.html_url };
}

/** Creates the sticky comment, or updates it in place, or leaves it when the body is identical. */
export async function upsertStickyComment(
  octokit: GitHub,
  ref: IssueRef & { marker: string; viewer: string; body: string },
): Promise<UpsertResult> {
  const withMarker = ref.body.includes(ref.marker) ? ref.body : `${ref.marker}\n${ref.body}`;
  const body = capBody(withMarker);
  if (!body.includes(ref.marker)) throw new Error('sticky comment body lost its marker');
  const found = await findStickyComment(octokit, ref);
  if (found !== null && found.body === body) return { action: 'unchanged', id: found.id, url: found.url };
  try {
    if (found !== null) {
      const { data } = await octokit.rest.issues.updateComment({
        owner: ref.owner,
        repo: ref.repo,
        comment_id: found.id,
        body,
      });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.issueNumber,
      body,
    });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (err) {
    if (isWriteForbidden(err)) return { action: 'forbidden', message: githubMessage(err) };
    throw err;
  }
}
