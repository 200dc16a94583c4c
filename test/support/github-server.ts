import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback server that answers like GitHub's REST API, for the endpoints astro-access uses:
// issue comments (paginated), issues (paginated, filtered), commits/{sha}/pulls, contents, commit
// statuses, and GraphQL `viewer { login }` (the identity a token authenticates as).
// Faithful where our code could go wrong: Link-header pagination, pull requests mixed into the
// issues list, 401 without credentials, 403 "Resource not accessible by integration" for a
// read-only (fork) token, 422 for a body over 65,536 characters, an optional GHES `/api/v3` prefix.

export interface GhUser {
  login: string;
  id: number;
  type: 'Bot' | 'User';
}

export interface Comment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: GhUser;
  author_association: string;
  created_at: string;
  updated_at: string;
}

export interface Label {
  id: number;
  name: string;
}

export interface Issue {
  id: number;
  node_id: string;
  number: number;
  url: string;
  html_url: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: Label[];
  user: GhUser;
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface PullRequest {
  number: number;
  title: string;
  body?: string | null;
  labels?: Label[];
  state: 'open' | 'closed';
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
  user: GhUser;
}

export interface RecordedRequest {
  method: string;
  /** Path below the API base (prefix stripped), with the query string. */
  path: string;
  /** Parsed JSON body, or null. */
  body: unknown;
  userAgent: string | undefined;
}

export interface GitHubServerOptions {
  /** `owner/name` this server hosts; other repositories answer 404. */
  repository?: string;
  /** When set, the token a request must carry; otherwise any token is accepted. */
  token?: string;
  /** The identity that authors comments and issues created through the API. */
  identity?: GhUser;
  /** Every write answers 403 "Resource not accessible by integration" (a fork's read-only token). */
  readOnly?: boolean;
  /** GHES serves the API under `/api/v3`. */
  pathPrefix?: string;
  defaultBranch?: string;
  /**
   * The login GraphQL `viewer` answers (default: the identity's login). GitHub may name a bot there
   * with or without the `[bot]` suffix its REST objects carry.
   */
  viewerLogin?: string;
}

export interface CommitStatus {
  id: number;
  node_id: string;
  url: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
  updated_at: string;
  creator: GhUser;
}

export interface GitHubServerState {
  comments: Map<number, Comment[]>;
  issues: Issue[];
  pulls: PullRequest[];
  commitPulls: Map<string, PullRequest[]>;
  /** Keyed by `${ref}:${path}`. */
  contents: Map<string, string>;
  /** Commit statuses by commit SHA, oldest first. */
  statuses: Map<string, CommitStatus[]>;
  /** Answers a request with this HTTP status instead (an outage); undefined lets it through. */
  fault: ((method: string, path: string) => number | undefined) | undefined;
}

export interface GitHubServer {
  /** Base API URL, e.g. http://127.0.0.1:PORT (plus the prefix for GHES). */
  url: string;
  requests: RecordedRequest[];
  state: GitHubServerState;
  options: Required<Omit<GitHubServerOptions, 'token'>> & { token: string | undefined };
  /** Adds a comment as if posted at the next tick of the server clock; returns it. */
  seedComment(issueNumber: number, body: string, user?: GhUser): Comment;
  /** Adds a commit status as if `user` had posted it; returns it. */
  seedStatus(sha: string, fields: Pick<CommitStatus, 'state' | 'context'> & Partial<CommitStatus>, user?: GhUser): CommitStatus;
  /** Adds an issue (not a pull request); returns it. */
  seedIssue(fields: Partial<Issue> & { title: string }): Issue;
  /** Requests that wrote (anything but GET and GraphQL queries). */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

export const BOT: GhUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const HUMAN: GhUser = { login: 'octocat', id: 583231, type: 'User' };
/** Another GitHub App on the same repository: a Bot, but not the Action. */
export const OTHER_BOT: GhUser = { login: 'renovate[bot]', id: 29139614, type: 'Bot' };

const LIMIT = 65_536;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Record<string, unknown>,
  ) {
    super(String(payload['message']));
  }
}

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const options = {
    repository: opts.repository ?? 'acme/astro-config',
    token: opts.token,
    identity: opts.identity ?? BOT,
    readOnly: opts.readOnly ?? false,
    pathPrefix: opts.pathPrefix ?? '',
    defaultBranch: opts.defaultBranch ?? 'main',
    viewerLogin: opts.viewerLogin ?? (opts.identity ?? BOT).login,
  };
  const state: GitHubServerState = {
    comments: new Map(),
    issues: [],
    pulls: [],
    commitPulls: new Map(),
    contents: new Map(),
    statuses: new Map(),
    fault: undefined,
  };
  const requests: RecordedRequest[] = [];
  const web = `https://github.com/${options.repository}`;
  let apiBase = '';
  // github.com serves GraphQL at /graphql; GHES at /api/graphql beside /api/v3.
  const graphqlPath = options.pathPrefix.endsWith('/v3') ? `${options.pathPrefix.slice(0, -3)}/graphql` : `${options.pathPrefix}/graphql`;
  let nextId = 1000;
  let tick = 0;
  // A logical clock: deterministic, strictly increasing timestamps.
  const now = (): string => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++).toISOString();

  const nextNumber = (): number =>
    Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.map((p) => p.number)) + 1;

  function makeComment(issueNumber: number, body: string, user: GhUser): Comment {
    const id = nextId++;
    const at = now();
    const isPull = state.pulls.some((p) => p.number === issueNumber);
    return {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${apiBase}/repos/${options.repository}/issues/comments/${id}`,
      html_url: `${web}/${isPull ? 'pull' : 'issues'}/${issueNumber}#issuecomment-${id}`,
      issue_url: `${apiBase}/repos/${options.repository}/issues/${issueNumber}`,
      body,
      user: { ...user },
      author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER',
      created_at: at,
      updated_at: at,
    };
  }

  function seedComment(issueNumber: number, body: string, user: GhUser = HUMAN): Comment {
    const c = makeComment(issueNumber, body, user);
    const list = state.comments.get(issueNumber) ?? [];
    list.push(c);
    state.comments.set(issueNumber, list);
    return c;
  }

  function seedStatus(
    sha: string,
    fields: Pick<CommitStatus, 'state' | 'context'> & Partial<CommitStatus>,
    user: GhUser = HUMAN,
  ): CommitStatus {
    const id = nextId++;
    const at = now();
    const status: CommitStatus = {
      id,
      node_id: `SC_kwDO${id.toString(36)}`,
      url: `${apiBase}/repos/${options.repository}/statuses/${sha}`,
      description: null,
      target_url: null,
      created_at: at,
      updated_at: at,
      creator: { ...user },
      ...fields,
    };
    state.statuses.set(sha, [...(state.statuses.get(sha) ?? []), status]);
    return status;
  }

  function seedIssue(fields: Partial<Issue> & { title: string }): Issue {
    const number = fields.number ?? nextNumber();
    const id = nextId++;
    const at = now();
    const issue: Issue = {
      id,
      node_id: `I_kwDO${id.toString(36)}`,
      number,
      url: `${apiBase}/repos/${options.repository}/issues/${number}`,
      html_url: `${web}/issues/${number}`,
      body: null,
      state: 'open',
      state_reason: null,
      labels: [],
      user: options.identity,
      comments: 0,
      created_at: at,
      updated_at: at,
      closed_at: null,
      ...fields,
    };
    state.issues.push(issue);
    return issue;
  }

  const labelsOf = (names: unknown): Label[] => {
    if (!Array.isArray(names)) throw validation('Issue', 'labels', 'invalid');
    return names.map((n) => {
      const name = typeof n === 'string' ? n : String((n as { name?: unknown }).name);
      return { id: 9000 + [...name].reduce((a, ch) => a + ch.charCodeAt(0), 0), name };
    });
  };

  // Pull requests appear in GitHub's issues list with a `pull_request` key.
  const pullAsIssue = (p: PullRequest): Record<string, unknown> => ({
    id: 500_000 + p.number,
    number: p.number,
    title: p.title,
    body: p.body ?? null,
    state: p.state,
    labels: p.labels ?? [],
    user: p.user,
    html_url: `${web}/pull/${p.number}`,
    created_at: '2025-12-31T00:00:00.000Z',
    pull_request: { url: `${apiBase}/repos/${options.repository}/pulls/${p.number}` },
  });

  function paginate(res: ServerResponse, url: URL, items: unknown[]): unknown[] {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => {
      const u = new URL(url.toString());
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${apiBase}${u.pathname.slice(options.pathPrefix.length)}${u.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    if (links.length > 0) res.setHeader('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  function requireBody(body: unknown, resource: string): string {
    const text = (body as { body?: unknown } | null)?.body;
    if (typeof text !== 'string') throw validation(resource, 'body', 'missing_field');
    if ([...text].length > LIMIT) {
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${LIMIT} characters)` }],
        documentation_url: 'https://docs.github.com/rest',
        status: '422',
      });
    }
    return text;
  }

  function route(method: string, url: URL, body: unknown, res: ServerResponse): { status: number; json: unknown } {
    const path = url.pathname.slice(options.pathPrefix.length);
    if (method === 'POST' && url.pathname === graphqlPath) return graphql(body);
    if (method === 'GET' && path === '/user') {
      // An installation token (GITHUB_TOKEN) cannot read /user.
      if (options.identity.type === 'Bot') throw forbidden();
      return { status: 200, json: options.identity };
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
    if (!m || `${m[1]}/${m[2]}` !== options.repository) throw notFound();
    const rest = m[3] ?? '';
    if (method !== 'GET' && options.readOnly) throw forbidden();

    let r: RegExpExecArray | null;
    if ((r = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const n = Number(r[1]);
      if (!issueExists(n)) throw notFound();
      if (method === 'GET') return { status: 200, json: paginate(res, url, state.comments.get(n) ?? []) };
      if (method === 'POST') {
        const c = makeComment(n, requireBody(body, 'IssueComment'), options.identity);
        state.comments.set(n, [...(state.comments.get(n) ?? []), c]);
        const issue = state.issues.find((i) => i.number === n);
        if (issue) issue.comments += 1;
        return { status: 201, json: c };
      }
    }
    if ((r = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const c = [...state.comments.values()].flat().find((x) => x.id === Number(r![1]));
      if (!c) throw notFound();
      if (method === 'GET') return { status: 200, json: c };
      if (method === 'PATCH') {
        c.body = requireBody(body, 'IssueComment');
        c.updated_at = now();
        return { status: 200, json: c };
      }
    }
    if (rest === '/issues') {
      if (method === 'GET') return { status: 200, json: paginate(res, url, listIssues(url)) };
      if (method === 'POST') {
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b['title'] !== 'string' || b['title'] === '') throw validation('Issue', 'title', 'missing_field');
        const text = b['body'] === undefined ? null : requireBody(b, 'Issue');
        const issue = seedIssue({
          title: b['title'],
          body: text,
          labels: b['labels'] === undefined ? [] : labelsOf(b['labels']),
          user: options.identity,
        });
        return { status: 201, json: issue };
      }
    }
    if ((r = /^\/issues\/(\d+)$/.exec(rest))) {
      const n = Number(r[1]);
      const issue = state.issues.find((i) => i.number === n);
      if (!issue) {
        const pull = state.pulls.find((p) => p.number === n);
        if (pull && method === 'GET') return { status: 200, json: pullAsIssue(pull) };
        throw notFound();
      }
      if (method === 'GET') return { status: 200, json: issue };
      if (method === 'PATCH') {
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b['title'] === 'string') issue.title = b['title'];
        if (b['body'] !== undefined) issue.body = requireBody(b, 'Issue');
        if (b['labels'] !== undefined) issue.labels = labelsOf(b['labels']);
        if (b['state'] === 'open' || b['state'] === 'closed') {
          const was = issue.state;
          issue.state = b['state'];
          if (issue.state === 'closed') {
            issue.state_reason = String(b['state_reason'] ?? 'completed');
            if (was === 'open') issue.closed_at = now();
          } else if (was === 'closed') {
            issue.state_reason = 'reopened';
            issue.closed_at = null;
          }
        }
        issue.updated_at = now();
        return { status: 200, json: issue };
      }
    }
    if (method === 'POST' && (r = /^\/statuses\/([^/]+)$/.exec(rest))) {
      const sha = r[1] ?? '';
      if (!/^[0-9a-f]{40}$/.test(sha)) throw validation('Status', 'sha', 'invalid');
      const b = (body ?? {}) as Record<string, unknown>;
      const st = b['state'];
      if (st !== 'error' && st !== 'failure' && st !== 'pending' && st !== 'success') throw validation('Status', 'state', 'invalid');
      const description = typeof b['description'] === 'string' ? b['description'] : null;
      if (description !== null && description.length > 140) throw validation('Status', 'description', 'too_long');
      const status = seedStatus(
        sha,
        {
          state: st,
          context: typeof b['context'] === 'string' ? b['context'] : 'default',
          description,
          target_url: typeof b['target_url'] === 'string' ? b['target_url'] : null,
        },
        options.identity,
      );
      return { status: 201, json: status };
    }
    if (method === 'GET' && (r = /^\/commits\/([^/]+)\/statuses$/.exec(rest))) {
      // Newest first, as GitHub lists them.
      return { status: 200, json: paginate(res, url, [...(state.statuses.get(r[1] ?? '') ?? [])].reverse()) };
    }
    if (method === 'GET' && (r = /^\/commits\/([^/]+)\/pulls$/.exec(rest))) {
      return { status: 200, json: paginate(res, url, state.commitPulls.get(r[1] ?? '') ?? []) };
    }
    if (method === 'GET' && (r = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pull = state.pulls.find((p) => p.number === Number(r![1]));
      if (!pull) throw notFound();
      return { status: 200, json: pull };
    }
    if (method === 'GET' && (r = /^\/contents\/(.+)$/.exec(rest))) {
      const file = decodeURIComponent(r[1] ?? '');
      const ref = url.searchParams.get('ref') ?? options.defaultBranch;
      const text = state.contents.get(`${ref}:${file}`);
      if (text === undefined) throw notFound();
      const bytes = Buffer.from(text, 'utf8');
      // GitHub wraps base64 content at 60 characters per line.
      const content = (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
      return {
        status: 200,
        json: {
          type: 'file',
          encoding: 'base64',
          size: bytes.length,
          name: file.split('/').pop(),
          path: file,
          content,
          sha: 'f'.repeat(40),
          url: `${apiBase}/repos/${options.repository}/contents/${file}?ref=${ref}`,
          html_url: `${web}/blob/${ref}/${file}`,
        },
      };
    }
    throw notFound();
  }

  // GraphQL answers 200 with `errors` for a query it cannot serve; only `viewer { login }` is served.
  function graphql(body: unknown): { status: number; json: unknown } {
    const query = (body as { query?: unknown } | null)?.query;
    if (typeof query !== 'string') throw new HttpError(400, { message: 'A query attribute must be specified and must be a string.' });
    if (/\bviewer\s*\{\s*login\s*\}/.test(query)) return { status: 200, json: { data: { viewer: { login: options.viewerLogin } } } };
    return { status: 200, json: { errors: [{ message: 'this loopback server answers only viewer { login }' }] } };
  }

  function issueExists(n: number): boolean {
    return state.issues.some((i) => i.number === n) || state.pulls.some((p) => p.number === n);
  }

  function listIssues(url: URL): unknown[] {
    const st = url.searchParams.get('state') ?? 'open';
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
    const creator = url.searchParams.get('creator');
    const all: Record<string, unknown>[] = [
      ...state.issues.map((i) => ({ ...i }) as unknown as Record<string, unknown>),
      ...state.pulls.map(pullAsIssue),
    ];
    return all
      .filter((i) => st === 'all' || i['state'] === st)
      .filter((i) => labels.every((l) => (i['labels'] as Label[]).some((x) => x.name === l)))
      .filter((i) => creator === null || (i['user'] as GhUser).login === creator)
      .sort((a, b) => String(b['created_at']).localeCompare(String(a['created_at'])) || Number(b['number']) - Number(a['number']));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    let body: unknown = null;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    requests.push({
      method,
      path: url.pathname === graphqlPath ? '/graphql' : url.pathname.slice(options.pathPrefix.length) + url.search,
      body,
      userAgent: req.headers['user-agent'],
    });
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('x-github-request-id', `REQ-${requests.length}`);
    try {
      const fault = state.fault?.(method, url.pathname.slice(options.pathPrefix.length));
      if (fault !== undefined) throw new HttpError(fault, { message: fault >= 500 ? 'Server Error' : 'Fault', status: String(fault) });
      if (!url.pathname.startsWith(options.pathPrefix) && url.pathname !== graphqlPath) throw notFound();
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
      if (!auth || (options.token !== undefined && auth[1] !== options.token)) {
        throw new HttpError(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      }
      if (badJson) throw new HttpError(400, { message: 'Problems parsing JSON' });
      const { status, json } = route(method, url, body, res);
      res.statusCode = status;
      res.end(JSON.stringify(json));
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, { message: String(e) });
      res.statusCode = err.status;
      res.end(JSON.stringify(err.payload));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  apiBase = `http://127.0.0.1:${port}${options.pathPrefix}`;

  return {
    url: apiBase,
    requests,
    state,
    options,
    seedComment,
    seedStatus,
    seedIssue,
    // A GraphQL query is a POST that writes nothing.
    writes: () => requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function notFound(): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
}

function forbidden(): HttpError {
  return new HttpError(403, {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest',
    status: '403',
  });
}

function validation(resource: string, field: string, code: string): HttpError {
  return new HttpError(422, {
    message: 'Validation Failed',
    errors: [{ resource, field, code }],
    documentation_url: 'https://docs.github.com/rest',
    status: '422',
  });
}
