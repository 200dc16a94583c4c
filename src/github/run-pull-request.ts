import type { Actual } from '../astro/actual.ts';
import { loadManifestSources } from '../manifest/load.ts';
import { makePlan } from '../plan/planner.ts';
import { escapeCodeLine, escapeMarkdownText as esc, fenceFor } from '../render/markdown-escape.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';
import type { Plan } from '../plan/types.ts';
import type { ActionContext } from './action-context.ts';
import { readFilesAtRef } from './base-manifest.ts';
import type { GitHubEvent } from './event.ts';
import { labelProposedOrDrift } from './proposed-or-drift.ts';
import { logText } from './log-text.ts';
import { annotateErrors, guardsFor, loadManifests, planAgainstLive, publishPlan, summaryMarkdown, type LivePlan } from './plan-step.ts';
import { buildCommentBody, manifestSetKey, planMarker } from './pr-comment.ts';
import { recordReview, type Review } from './review-record.ts';

// pull_request: validate, plan, label each action proposed or drift, and record the review: one sticky
// comment and the commit status `astro-access/plan` on the head. Outputs and the job summary come
// first, so a GitHub outage still leaves them. A plan the guards would refuse on merge fails the
// check (unless allow-unsafe): green means "this will apply". From a fork or without the Astro
// secret: validate only, with a notice, and no failure.

const GUARDS_SHOWN = 3;

type PullEvent = Extract<GitHubEvent, { kind: 'pull_request' }>;

export async function runPullRequest(ctx: ActionContext, event: PullEvent): Promise<void> {
  const { io, inputs } = ctx;
  const loaded = await loadManifests(io, inputs);
  const files = loaded.files.length > 0 ? loaded.files : inputs.manifests;
  const marker = planMarker(manifestSetKey(files));
  const headUrl = ctx.commitUrl(event.headSha);
  const base = { marker, headSha: event.headSha, files, ...(ctx.runUrl === undefined ? {} : { runUrl: ctx.runUrl }), ...(headUrl === undefined ? {} : { headUrl }) };
  const record = (body: string, status?: Review['status']) =>
    recordReview(ctx, { issueNumber: event.number, headSha: event.headSha, isFork: event.isFork, marker, body, ...(status === undefined ? {} : { status }) });
  const failed = (why: string): Review['status'] => ({ state: 'failure', checksum: null, why });

  if (loaded.desired === null) {
    annotateErrors(io, loaded.errors);
    await io.summary(`### astro-access\n\nThe manifest has ${loaded.errors.length} error(s); see the annotations.\n`);
    io.fail(`The manifest is invalid (${loaded.errors.length} error(s)).`);
    await record(buildCommentBody({ ...base, status: 'invalid', diagnostics: loaded.errors }), failed('The manifest is invalid'));
    return;
  }

  const why = event.isFork
    ? 'this pull request comes from a fork, so the Astro API secret is not available to it'
    : inputs.astroApiToken === ''
      ? 'no `astro-api-token` is set'
      : null;
  if (why !== null) {
    const notice = `The manifest is valid. It was not planned against the Astro API: ${why}. A merge of it is not applied on push; a maintainer applies it by hand (workflow_dispatch, command: apply).`;
    io.notice(notice.replace(/`/g, ''));
    await io.summary(`### astro-access\n\n${notice}\n`);
    await record(buildCommentBody({ ...base, status: 'validate-only', notice }));
    return;
  }

  let live: LivePlan;
  try {
    live = await planAgainstLive(inputs, io, loaded.desired);
  } catch (err) {
    // The comment must not keep saying "Planned" for an older head: say this head's plan failed.
    const message = err instanceof Error ? err.message : String(err);
    await io.summary(`### astro-access\n\nThe plan failed for ${event.headSha.slice(0, 7)}: ${esc(sanitizeTerminal(message))}\n`);
    io.fail(`The plan failed: ${logText(message)}`);
    const notice = `The plan failed for this head, so no plan is recorded for it:\n\n${quoteBlock(message)}`;
    await record(buildCommentBody({ ...base, status: 'plan-failed', notice }), { state: 'error', checksum: null, why: 'The plan failed' });
    return;
  }
  if (!live.ok) {
    annotateErrors(io, live.errors);
    await io.summary(`### astro-access\n\nThe manifest does not match the organization (${live.errors.length} error(s)); see the annotations.\n`);
    io.fail(`The manifest does not match the organization (${live.errors.length} error(s)).`);
    await record(buildCommentBody({ ...base, status: 'invalid', diagnostics: live.errors }), failed('Names in the manifest do not resolve'));
    return;
  }
  try {
    const { plan, actual } = live;
    const basePlan = await planBase(ctx, event.baseRef, files, actual);
    const labels = labelProposedOrDrift(plan, basePlan);
    const guards = guardsFor(plan, inputs);
    await publishPlan(io, plan);
    await io.summary(
      summaryMarkdown(plan, `### astro-access plan · pull request #${event.number}`, labels) +
        guards.violations.map((v) => `\n- apply would refuse: ${esc(v)}`).join(''),
    );
    for (const g of guards.overridden) io.warning(`apply would override a guard (allow-unsafe): ${logText(g)}`);
    const refused = guards.violations.length > 0;
    if (refused) io.fail(`Apply would refuse this plan on merge: ${guards.violations.map(logText).join('; ')}`);
    const notice = guardNotice(guards.violations);
    const body = buildCommentBody({ ...base, status: refused ? 'refused' : 'planned', plan, labels, ...(notice === undefined ? {} : { notice }) });
    await record(
      body,
      refused ? failed(`Apply would refuse this plan (${guards.violations.length} safety guard refusal(s))`) : { state: 'success', checksum: plan.checksum, why: '' },
    );
  } finally {
    await live.conn.close();
  }
}

/** An error message as a fenced block: whatever it holds stays text. */
function quoteBlock(message: string): string {
  const lines = message.split('\n').slice(0, 20).map((l) => escapeCodeLine(sanitizeTerminal(l)));
  const fence = fenceFor(lines);
  return [`${fence}text`, ...lines, fence].join('\n');
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
    ctx.io.info(`The base branch's manifest could not be read, so every action counts as proposed: ${logText(err instanceof Error ? err.message : String(err))}`);
    return null;
  }
}
