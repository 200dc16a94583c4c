import type { GitHub } from './octokit.ts';
import { httpStatus } from './octokit.ts';
import { leavesRepo, repoPath } from './manifest-glob.ts';
import { GitHubAnswerError, InputError } from '../errors.ts';

// The manifest files as they are on another ref (the pull request's base branch), read through
// the contents API: the checkout holds only the head, and the base is what is live by design.

export interface FileAtRef {
  file: string;
  text: string;
}

export interface FilesAtRef {
  files: FileAtRef[];
  /** Paths that do not exist at the ref (a manifest added by this pull request). */
  missing: string[];
}

export async function readFilesAtRef(
  octokit: GitHub,
  opts: { owner: string; repo: string; ref: string; paths: readonly string[] },
): Promise<FilesAtRef> {
  const files: FileAtRef[] = [];
  const missing: string[] = [];
  for (const file of opts.paths) {
    const path = repoPath(file);
    if (leavesRepo(path)) {
      throw new InputError(`${file}: manifest paths must be relative to the repository root`);
    }
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: opts.owner, repo: opts.repo, path, ref: opts.ref });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
        throw new GitHubAnswerError(`${file}: not a file at ${opts.ref}`);
      }
      if (data.encoding !== 'base64') throw new GitHubAnswerError(`${file}: unexpected content encoding "${data.encoding}" at ${opts.ref}`);
      files.push({ file, text: Buffer.from(data.content, 'base64').toString('utf8') });
    } catch (err) {
      if (httpStatus(err) === 404) missing.push(file);
      else throw err;
    }
  }
  return { files, missing };
}
