import { createHash } from 'node:crypto';
import type { GitHub } from './octokit.ts';
import { githubMessage, isWriteForbidden } from './octokit.ts';
import { capBody } from './limit.ts';
import { repoPath } from './manifest-glob.ts';

// One comment per pull request and manifest set, found again by a hidden, versioned marker,
// edited in place, and left alone when its body would not change.

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
 * The newest comment holding `marker`, read from every page. A comment by a Bot wins over one by
 * a person (who may have quoted the marker); among equals, the newest.
 */
export async function findStickyComment(
  octokit: GitHub,
  ref: IssueRef & { marker: string },
): Promise<FoundComment | null> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    per_page: 100,
  });
  const hits = comments.filter((c) => c.body?.includes(ref.marker) === true);
  const rank = (c: (typeof hits)[number]): [number, string, number] => [
    c.user?.type === 'Bot' ? 1 : 0,
    c.created_at,
    c.id,
  ];
  let best: (typeof hits)[number] | undefined;
  for (const c of hits) {
    if (best === undefined || compare(rank(c), rank(best)) > 0) best = c;
  }
  if (best === undefined) return null;
  return { id: best.id, body: best.body ?? '', url: best.html_url };
}

function compare(a: [number, string, number], b: [number, string, number]): number {
  return a[0] - b[0] || a[1].localeCompare(b[1]) || a[2] - b[2];
}

/** Creates the sticky comment, or updates it in place, or leaves it when the body is identical. */
export async function upsertStickyComment(
  octokit: GitHub,
  ref: IssueRef & { marker: string; body: string },
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
