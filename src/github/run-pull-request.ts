import type { Actual } from '../plan/actual.ts';
import { loadManifestSources } from '../manifest/load.ts';
import { makePlan } from '../plan/planner.ts';
import { escapeMarkdownText as esc } from '../render/markdown-escape.ts';
import type { Plan } from '../plan/types.ts';
import type { ActionContext } from './action-context.ts';
import { readFilesAtRef } from './base-manifest.ts';
import { buildCommentBody } from './comment-body.ts';
import type { GitHubEvent } from './event.ts';
import { labelActions } from './labels.ts';
import { annotateErrors, guardsFor, loadManifests, planAgainstLive, publishPlan, summaryMarkdown } from './plan-step.ts';
import { writeStickyComment } from './pr-comment.ts';
import { manifestSetKey, planMarker } from './sticky-comment.ts';

// pull_request: validate, plan, label each action proposed or drift, and keep one sticky comment.
// From a fork or without the Astro secret: validate only, with a notice, and no failure.

const GUARDS_SHOWN = 3;

type PullEvent = Extract<GitHubEvent, { kind: 'pull_request' }>;

export async function runPullRequest(ctx: ActionContext, event: PullEvent): Promise<void> {
  const { io, inputs } = ctx;
  const loaded = await loadManifests(io, inputs);
  const files = loaded.files.length > 0 ? loaded.files : inputs.manifests;
  const marker = planMarker(manifestSetKey(files));
  const base = { marker, headSha: event.headSha, files };

  if (loaded.desired === null) {
    annotateErrors(io, loaded.errors);
    await writeStickyComment(ctx, event.number, marker, buildCommentBody({ ...base, status: 'invalid', diagnostics: loaded.errors }));
    await io.summary(`### astro-access\n\nThe manifest has ${loaded.errors.length} error(s); see the annotations.\n`);
    io.fail(`The manifest is invalid (${loaded.errors.length} error(s)).`);
    return;
  }

  const why = event.isFork
    ? 'this pull request comes from a fork, so the Astro API secret is not available to it'
    : inputs.astroApiToken === ''
      ? 'no `astro-api-token` is set'
      : null;
  if (why !== null) {
    const notice = `The manifest is valid. It was not planned against the Astro API: ${why}.`;
    io.notice(notice.replace(/`/g, ''));
    await writeStickyComment(ctx, event.number, marker, buildCommentBody({ ...base, status: 'validate-only', notice }));
    await io.summary(`### astro-access\n\n${notice}\n`);
    return;
  }

  const live = await planAgainstLive(inputs, io.env, loaded.desired);
  if (!live.ok) {
    annotateErrors(io, live.errors);
    await writeStickyComment(ctx, event.number, marker, buildCommentBody({ ...base, status: 'invalid', diagnostics: live.errors }));
    io.fail(`The manifest does not match the organization (${live.errors.length} error(s)).`);
    return;
  }
  try {
    const { plan, actual } = live;
    const basePlan = await planBase(ctx, event.baseRef, files, actual);
    const labels = labelActions(plan, basePlan);
    const guards = guardsFor(plan, inputs);
    for (const v of guards.violations) io.warning(`apply would refuse this plan: ${v}`);
    const notice = guardNotice(guards.violations);
    const body = buildCommentBody({ ...base, status: 'planned', plan, labels, ...(notice === undefined ? {} : { notice }) });
    await writeStickyComment(ctx, event.number, marker, body);
    await publishPlan(io, plan);
    await io.summary(
      summaryMarkdown(plan, `### astro-access plan · pull request #${event.number}`, labels) +
        guards.violations.map((v) => `\n- apply would refuse: ${esc(v)}`).join(''),
    );
  } finally {
    await live.conn.close();
  }
}

/** A few guard refusals, kept short so the plan's summary stays near the top of the comment. */
function guardNotice(violations: readonly string[]): string | undefined {
  if (violations.length === 0) return undefined;
  const shown = violations.slice(0, GUARDS_SHOWN).map((v) => `> - ${esc(v)}`);
  const more = violations.length - shown.length;
  return [
    '> [!WARNING]',
    `> Apply would refuse this plan (${violations.length} safety guard ${violations.length === 1 ? 'refusal' : 'refusals'}):`,
    ...shown,
    ...(more > 0 ? [`> - … and ${more} more (see the job summary)`] : []),
  ].join('\n');
}

/**
 * The base branch's manifest planned against the same live snapshot: an action it yields too is
 * drift, not proposed by this pull request. Null (all proposed) when the base has none or it fails.
 */
async function planBase(ctx: ActionContext, ref: string, files: readonly string[], actual: Actual): Promise<Plan | null> {
  if (ctx.octokit === null) return null;
  try {
    const at = await readFilesAtRef(ctx.octokit, { owner: ctx.owner, repo: ctx.repo, ref, paths: files });
    if (at.files.length === 0) return null;
    const loaded = loadManifestSources(at.files);
    if (!loaded.desired) return null;
    return makePlan(loaded.desired, actual, { now: Date.now() }).plan ?? null;
  } catch (err) {
    ctx.io.info(`The base branch's manifest could not be read, so every action counts as proposed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
