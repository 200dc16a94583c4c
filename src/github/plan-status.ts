import type { GitHub } from './octokit.ts';
import { isViewer } from './identity.ts';

// The reviewed plan's checksum, recorded as a commit status on the pull request's head commit. The
// merge step requires it, from the Action's own login: a status, like a comment, can be posted by
// anyone with write access, so only the author makes it ours.

export const PLAN_STATUS_CONTEXT = 'astro-access/plan';

export type PlanStatusState = 'success' | 'failure' | 'error' | 'pending';

export interface PlanStatus {
  state: string;
  description: string;
  /** The checksum a `success` status records, or null. */
  checksum: string | null;
}

/** GitHub caps a status description at 140 characters: the checksum (71) fits with its prefix. */
export function planStatusDescription(state: PlanStatusState, checksum: string | null, why = ''): string {
  const text = state === 'success' && checksum !== null ? `Reviewed plan ${checksum}` : why;
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export async function writePlanStatus(
  octokit: GitHub,
  opts: { owner: string; repo: string; sha: string; state: PlanStatusState; description: string; targetUrl?: string },
): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    owner: opts.owner,
    repo: opts.repo,
    sha: opts.sha,
    state: opts.state,
    context: PLAN_STATUS_CONTEXT,
    description: opts.description,
    ...(opts.targetUrl === undefined ? {} : { target_url: opts.targetUrl }),
  });
}

/** The newest `astro-access/plan` status `viewer` posted on `sha`, or null. Others' statuses never count. */
export async function readPlanStatus(
  octokit: GitHub,
  opts: { owner: string; repo: string; sha: string; viewer: string },
): Promise<PlanStatus | null> {
  const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, {
    owner: opts.owner,
    repo: opts.repo,
    ref: opts.sha,
    per_page: 100,
  });
  // GitHub lists the newest first.
  const own = statuses.find((s) => s.context === PLAN_STATUS_CONTEXT && isViewer(opts.viewer, s.creator));
  if (own === undefined) return null;
  const checksum = own.state === 'success' ? (/^Reviewed plan (sha256:[0-9a-f]{64})$/.exec(own.description ?? '')?.[1] ?? null) : null;
  return { state: own.state, description: own.description ?? '', checksum };
}
