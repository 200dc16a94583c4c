import type { Plan } from '../plan/types.ts';
import { renderMarkdown } from '../render/markdown.ts';
import type { ActionContext } from './action-context.ts';
import { applyStep, setCommentStatus } from './apply-step.ts';
import type { GitHubEvent } from './event.ts';
import { GITHUB_BODY_LIMIT } from './limit.ts';
import { logText } from './log-text.ts';
import { findMergedPull, type MergedPull } from './merged-pull.ts';
import { PLAN_STATUS_CONTEXT, readPlanStatus } from './plan-status.ts';
import { loadAndPlan, publishPlan, summaryMarkdown } from './plan-step.ts';
import { findStickyComment, manifestSetKey, parseChecksum, planMarker, type FoundComment } from './pr-comment.ts';

// push to the default branch: re-plan, and apply only the plan the reviewers saw. What they saw is
// what the Action itself recorded on the merged pull request: the checksum on its own comment and in
// its own commit status `astro-access/plan` on the head commit. Anyone else's word never counts.

type PushEvent = Extract<GitHubEvent, { kind: 'push' }>;

/** How a maintainer applies a plan no pull request recorded (a fork's, or after a refusal). */
export const DISPATCH_HINT =
  'To apply it anyway, run this workflow by hand (workflow_dispatch) with command: plan, review the plan and its checksum ' +
  'in the job summary, then run it with command: apply and expected-checksum set to that checksum.';

export async function runMerge(ctx: ActionContext, event: PushEvent): Promise<void> {
  const { io, octokit } = ctx;
  const run = await loadAndPlan(ctx, 'to apply', '; nothing was applied');
  if (run === null) return;
  const { plan, conn } = run;
  const branch = event.ref.replace(/^refs\/heads\//, '');
  try {
    // Outputs and summary first: a GitHub outage below still leaves them.
    await publishPlan(io, plan);
    await io.summary(summaryMarkdown(plan, `### astro-access plan · ${event.sha.slice(0, 7)}`));
    // Nothing to write is never a refusal: a re-run after a successful apply, or roles already set by hand.
    if (plan.actions.length === 0) return io.info('The live roles already match the manifest: nothing to apply.');
    const pull = octokit === null ? null : await findMergedPull(octokit, { owner: ctx.owner, repo: ctx.repo, sha: event.sha, baseRef: branch });
    if (pull === null || octokit === null) {
      if (!ctx.inputs.allowDirectPush) {
        io.fail(
          octokit === null
            ? 'No github-token, so the merged pull request and the plan it reviewed cannot be found; nothing was applied.'
            : `${logText(event.sha.slice(0, 7))} was pushed without a pull request, so no reviewed plan exists; nothing was applied. ` +
                'Open a pull request, or set the input allow-direct-push: true to apply direct pushes.',
        );
        return;
      }
      io.notice('Applying a direct push (allow-direct-push: true): no pull request reviewed this plan.');
      await applyStep(ctx, plan, conn, null);
      return;
    }

    const viewer = await ctx.viewer();
    const marker = planMarker(manifestSetKey(run.files));
    const comment = await findStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber: pull.number, marker, viewer });
    const status = await readPlanStatus(octokit, { owner: ctx.owner, repo: ctx.repo, sha: pull.headSha, viewer });
    const refusal = reviewRefusal(ctx, pull, plan, comment, status?.checksum ?? null);
    if (refusal !== null) {
      io.fail(`plan-changed: ${refusal}; nothing was applied. ${DISPATCH_HINT}`);
      await setCommentStatus(ctx, comment, 'plan-changed');
      await postPlanChanged(ctx, pull.number, refusal, plan);
      return;
    }
    const ok = await applyStep(ctx, plan, conn, comment);
    if (ok) io.info(`Applied the plan reviewed on pull request #${pull.number}.`);
  } finally {
    await conn.close();
  }
}

/** Why the plan may not be applied on this merge, or null when the Action recorded exactly this plan. */
function reviewRefusal(ctx: ActionContext, pull: MergedPull, plan: Plan, comment: FoundComment | null, recorded: string | null): string | null {
  const none = (what: string) =>
    `astro-access recorded no reviewed plan on pull request #${pull.number} (${what}; a fork's pull request cannot record one)`;
  if (recorded === null) return none(`no commit status ${PLAN_STATUS_CONTEXT} of its own on ${logText(pull.headSha.slice(0, 7))}`);
  const records = [recorded];
  if (ctx.inputs.comment) {
    const shown = comment === null ? null : parseChecksum(comment.body);
    if (shown === null) return none('no plan comment of its own');
    records.push(shown);
  }
  const differs = records.find((c) => c !== plan.checksum);
  if (differs === undefined) return null;
  return `the plan changed since pull request #${pull.number} was reviewed (reviewed ${logText(differs)}, now ${plan.checksum})`;
}

/** What differs: the plan as it is now, on the pull request the reviewers approved. */
async function postPlanChanged(ctx: ActionContext, number: number, what: string, plan: Plan): Promise<void> {
  if (ctx.octokit === null) return;
  const run = ctx.runUrl === undefined ? '' : ` ([workflow run](${ctx.runUrl}))`;
  const top = `**⚠️ astro-access did not apply this merge**${run}: ${what}. ${DISPATCH_HINT} The plan now:\n\n`;
  const body = top + renderMarkdown(plan, {
    maxChars: GITHUB_BODY_LIMIT - top.length - 200,
    fullPlanHint: 'the full plan is in the job summary of the workflow run',
  });
  await ctx.octokit.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: number, body });
}
