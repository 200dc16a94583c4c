import type { GitHub } from './octokit.ts';

// On a push to the default branch, the pull request it came from: its sticky comment holds the
// checksum of the plan the reviewers saw.

export interface MergedPull {
  number: number;
  headSha: string;
  baseRef: string;
}

/**
 * The merged pull request behind commit `sha` on `baseRef`. A merge, squash or rebase commit is the
 * pull request's merge_commit_sha; failing that, a merged pull request into `baseRef` that contains
 * the commit (rebase-merged histories). Open pull requests that happen to contain it never count.
 */
export async function findMergedPull(
  octokit: GitHub,
  opts: { owner: string; repo: string; sha: string; baseRef: string },
): Promise<MergedPull | null> {
  const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
    owner: opts.owner,
    repo: opts.repo,
    commit_sha: opts.sha,
    per_page: 100,
  });
  const merged = pulls.filter((p) => p.merged_at !== null && p.base.ref === opts.baseRef);
  const pick = merged.find((p) => p.merge_commit_sha === opts.sha) ?? merged[0];
  return pick === undefined ? null : { number: pick.number, headSha: pick.head.sha, baseRef: pick.base.ref };
}
