import { readFile } from 'node:fs/promises';
import { isRecord } from '../util/is-record.ts';
import { EventError } from '../errors.ts';

// What the Action was started for, read from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH.

export type GitHubEvent =
  | {
      kind: 'pull_request';
      number: number;
      headSha: string;
      baseRef: string;
      /** null when the head repository was deleted (it was a fork). */
      headRepoFullName: string | null;
      /** From another repository: the token is read-only and secrets are absent. */
      isFork: boolean;
    }
  | { kind: 'push'; sha: string; ref: string; isDefaultBranch: boolean }
  | { kind: 'schedule' }
  /** Run by hand on `ref`; `isDefaultBranch` when that is the repository's default branch. */
  | { kind: 'workflow_dispatch'; ref: string; isDefaultBranch: boolean }
  | { kind: 'unsupported'; name: string };

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new EventError(`event payload has no ${what}`);
  return v;
}

/** Parses an event payload; throws when a field the event must carry is missing. */
export function parseEvent(name: string, payload: unknown): GitHubEvent {
  const p = obj(payload);
  switch (name) {
    case 'pull_request': {
      const pr = obj(p['pull_request']);
      const head = obj(pr['head']);
      const headRepo = str(obj(head['repo'])['full_name']) ?? null;
      const baseRepo = str(obj(obj(pr['base'])['repo'])['full_name']) ?? str(obj(p['repository'])['full_name']);
      const number = typeof pr['number'] === 'number' ? pr['number'] : p['number'];
      return {
        kind: 'pull_request',
        number: need(typeof number === 'number' ? number : undefined, 'pull_request.number'),
        headSha: need(str(head['sha']), 'pull_request.head.sha'),
        baseRef: need(str(obj(pr['base'])['ref']), 'pull_request.base.ref'),
        headRepoFullName: headRepo,
        isFork: headRepo === null || headRepo !== need(baseRepo, 'repository.full_name'),
      };
    }
    case 'push': {
      const ref = need(str(p['ref']), 'ref');
      const defaultBranch = str(obj(p['repository'])['default_branch']);
      return {
        kind: 'push',
        sha: need(str(p['after']), 'after'),
        ref,
        // A branch deletion is a push too, with nothing to apply.
        isDefaultBranch: p['deleted'] !== true && defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}`,
      };
    }
    case 'schedule':
      return { kind: name };
    case 'workflow_dispatch': {
      const ref = str(p['ref']) ?? '';
      const defaultBranch = str(obj(p['repository'])['default_branch']);
      return { kind: name, ref, isDefaultBranch: defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}` };
    }
    default:
      return { kind: 'unsupported', name };
  }
}

/** Reads the event the runner describes in `env`. */
export async function readEvent(env: NodeJS.ProcessEnv = process.env): Promise<GitHubEvent> {
  const name = env['GITHUB_EVENT_NAME'] ?? '';
  const path = env['GITHUB_EVENT_PATH'];
  const payload: unknown = path ? JSON.parse(await readFile(path, 'utf8')) : {};
  return parseEvent(name, payload);
}

/** `owner` and `repo` from GITHUB_REPOSITORY. */
export function repoFromEnv(env: NodeJS.ProcessEnv = process.env): { owner: string; repo: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(env['GITHUB_REPOSITORY'] ?? '');
  if (!m || m[1] === undefined || m[2] === undefined) throw new EventError('GITHUB_REPOSITORY is not set as owner/repo');
  return { owner: m[1], repo: m[2] };
}

/** Link to a commit of this repository, or undefined outside Actions. */
export function commitUrl(sha: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repo = env['GITHUB_REPOSITORY'];
  if (!repo || !/^[0-9a-f]{7,40}$/i.test(sha)) return undefined;
  return `${serverUrl(env)}/${repo}/commit/${sha}`;
}

function serverUrl(env: NodeJS.ProcessEnv): string {
  return (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
}

/** Link to this workflow run, or undefined outside Actions. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repo = env['GITHUB_REPOSITORY'];
  const id = env['GITHUB_RUN_ID'];
  if (!repo || !id) return undefined;
  const server = serverUrl(env);
  const attempt = Number(env['GITHUB_RUN_ATTEMPT'] ?? '1');
  return `${server}/${repo}/actions/runs/${id}` + (attempt > 1 ? `/attempts/${attempt}` : '');
}
