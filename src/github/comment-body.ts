import type { Diagnostic } from '../manifest/types.ts';
import type { Plan } from '../plan/types.ts';
import { formatDiagnostic } from '../errors.ts';
import { renderMarkdown } from '../render/markdown.ts';
import type { ActionLabel } from '../render/markdown.ts';
import { code, escapeCodeLine, escapeMarkdownText as esc, fenceFor } from '../render/markdown-escape.ts';
import { countKinds, groupByDeployment } from '../render/wording.ts';
import { GITHUB_BODY_LIMIT, capBody } from './limit.ts';

// The sticky pull-request comment: marker, status line, summary, checksum and head, then the plan.
// The status line carries a hidden tag so the merge step can rewrite it in place, and the checksum
// line is what the merge step compares against its own re-plan.

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
