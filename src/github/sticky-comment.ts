import { createHash } from 'node:crypto';
import type { GitHub } from './octokit.ts';
import { githubMessage, isWriteForbidden } from './octokit.ts';
import { capBody } from './limit.ts';
import { repoPath } from './manifest-glob.ts';
import { isViewer } from './identity.ts';

// One comment per pull request and manifest set, found again by a hidden, versioned marker and
// its author (the Action's own login), edited in place, and left alone when its body would not change.

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
