import type { ActionContext } from './action-context.ts';
import { applyExpirations } from './apply-expirations.ts';
import { CLOSING_COMMENT, driftIssueBody, expirySections, syncDriftIssue } from './drift-issue.ts';
import type { GitHubEvent } from './event.ts';
import { driftRemains, expiryOutcomeMarkdown, stillHeld, type ExpiryOutcome } from './expiry-report.ts';
import { logText } from './log-text.ts';
import { loadAndPlan, publishPlan, summaryMarkdown } from './plan-step.ts';
import { plural } from '../util/plural.ts';

// schedule / workflow_dispatch: plan, and keep one drift issue in step with it (opened, updated,
// closed when the live state matches again). Drift is reported, not a failure. With
// apply-expirations, a plan made only of expiry removals is applied first (apply-expirations.ts).

const SUMMARY_EXPIRY_CHARS = 200_000;

export async function runDrift(ctx: ActionContext, event: GitHubEvent): Promise<void> {
  const { io, octokit } = ctx;
  const run = await loadAndPlan(ctx, 'for the drift check');
  if (run === null) return;
  const { plan, conn } = run;
  try {
    await publishPlan(io, plan);
    const expiry = expirySections(plan, { kind: 'off' }, SUMMARY_EXPIRY_CHARS);
    // The drift check lists expirations itself (expiry-report.ts), saying which are still held.
    await io.summary(summaryMarkdown(plan, '### astro-access drift check', undefined, { omitExpirations: true }) + (expiry === '' ? '' : `\n${expiry}`));
    const ending = plan.expirations.filter((e) => !e.expired).length;
    if (ending > 0) io.notice(`${plural(ending, 'grant')} in the manifest ${ending === 1 ? 'ends' : 'end'} within 7 days (listed in the job summary).`);

    const outcome = await applyExpirations(ctx, plan, conn, event);
    const said = expiryOutcomeMarkdown(outcome, { maxChars: SUMMARY_EXPIRY_CHARS });
    if (said !== '') await io.summary(said);

    const drift = driftRemains(plan, outcome);
    const held = stillHeld(plan, outcome).length;
    if (plan.actions.length > 0 && outcome.kind !== 'applied') {
      io.warning(`Drift: ${plan.actions.length} action(s) would bring the live roles back to the manifest.`);
    } else if (held > 0) {
      io.warning(`${plural(held, 'grant')} the manifest ended ${held === 1 ? 'is' : 'are'} still held (prune is off there).`);
    }
    if (octokit === null) return io.warning('No github-token: the drift issue was not updated.');
    const branch = io.env['GITHUB_REF_NAME'];
    const body = driftIssueBody(plan, { files: run.files, outcome, ...(branch ? { branch } : {}) });
    const closing = closingComment(outcome);
    const result = await syncDriftIssue(octokit, { owner: ctx.owner, repo: ctx.repo, viewer: await ctx.viewer(), drift, body, closing });
    if (result.action === 'none') io.info('No drift: the live roles match the manifest.');
    else io.info(`Drift issue #${result.number} ${result.action}: ${logText(result.url)}`);
  } finally {
    await conn.close();
  }
}

/** Said on the drift issue when it closes: what this run removed, when it removed anything. */
function closingComment(outcome: ExpiryOutcome): string {
  if (outcome.kind !== 'applied') return CLOSING_COMMENT;
  return `${expiryOutcomeMarkdown(outcome, { maxChars: 60_000 })}\n${CLOSING_COMMENT}`;
}
