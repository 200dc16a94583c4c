import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiTokenRole, BasicSubjectProfile } from '../astro/types.ts';
import { tokenIdFromJwt } from '../astro/jwt.ts';
import { FaultQueue } from './faults.ts';
import type { Fault, ForeignWrite, ForeignWriteTrigger, RequestFault, SubjectKey } from './faults.ts';
import { HttpError } from './http-error.ts';
import { loadState } from './load-state.ts';
import { parseQuery } from './query.ts';
import type { Query } from './query.ts';
import { RateLimiter } from './rate-limit.ts';
import type { RateLimits } from './rate-limit.ts';
import { handle, writeRoles } from './routes.ts';
import type { ApiResponse, ListQuirks, RouteConfig, SubjectConfig } from './route-types.ts';
import type { EmulatorState, NormalizedState } from './state.ts';
import { Store } from './store.ts';
import { DEFAULT_SUBJECT_CONFIG, storeSubjectRoles } from './subjects.ts';
import { allRules } from './validate-roles.ts';
import type { ValidationRule } from './validate-roles.ts';

export interface EmulatorOptions {
  /** The state as an object, or the path of a JSON file (schemas/emulator-state.schema.json). */
  state: EmulatorState | string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** If set, only this bearer token is accepted; else any non-empty bearer token. */
  token?: string;
  /** Per bearer token, per second; default false (no limits). */
  rateLimits?: false | RateLimits;
  /** The rate limiter's time in ms; default performance.now. Tests share a virtual clock with the client's pacer. */
  now?: () => number;
  /** Send Retry-After (seconds) with a rate-limit 429; default true. */
  retryAfter?: boolean;
  /** Added to every answer; default 0. */
  latencyMs?: number;
  /** Default 20. */
  defaultLimit?: number;
  /** A larger `limit` is capped to this; default 1000. */
  maxLimit?: number;
  /** Roles POST checks; all on by default. */
  validation?: Partial<Record<ValidationRule, boolean>>;
  /** 403 on the token list without a workspaceId/deploymentId filter, as for a workspace-scoped token. */
  forbidOrganizationTokenList?: boolean;
  /**
   * Role entries the server adds of its own on every roles write, unless the list written already has
   * an entry for that entity ([assumed] in astro-api.md: clients must not expect to read back exactly
   * what they sent). Default none.
   */
  implicitRoles?: ApiTokenRole[];
  /** `empty`: answer a roles POST with `{}`, as astro-cli's own test doubles do (the write still happens). */
  rolesAnswer?: 'full' | 'empty';
  /** Tokens (by ID, or `true` for all) whose answers carry no `roles`, though the roles are stored: legal in the API. */
  omitTokenRoles?: boolean | string[];
  /** Lists that lie (issue 10): a totalCount above what is served, an ignored offset, a totalCount that grows on every page. */
  listQuirks?: ListQuirks;
  /** [assumed] behaviours of the users and teams endpoints (subjects.ts); default both on. */
  subjects?: Partial<SubjectConfig>;
  /** Send every empty list in an answer as `null`, as the real API's Go encoding may (`roles: null`,
   * `restrictedWorkspaceIds: null`, `tokens: null` on an empty page). Default false. */
  nullLists?: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** The path as requested, /v1/... */
  path: string;
  query: Query;
  /** The status sent; 0 when no answer was sent (reset before the response, hang). */
  status: number;
  /** The caller's token ID, from the apiTokenId claim when the bearer token is a JWT. */
  tokenId?: string;
  /** The fault injected into this request, if any. */
  fault?: RequestFault['kind'];
  /** Date.now() when the request arrived. */
  at: number;
}

export interface Emulator {
  /** The base URL clients use, e.g. http://127.0.0.1:43123/v1 */
  url: string;
  port: number;
  /** Every request, in arrival order. Live: tests may read or empty it. */
  log: RequestLogEntry[];
  /** A deep copy of the current state, every field filled in. */
  state(): NormalizedState;
  setState(s: EmulatorState): void;
  fault(f: Fault): void;
  clearFaults(): void;
  /** Change the state directly (a deep copy is passed, then validated and installed). */
  mutate(fn: (s: NormalizedState) => void): void;
  close(): Promise<void>;
}

/** An answer as sent: extra headers, and `raw` text in place of the JSON of `body`. */
type Answer = ApiResponse & { headers?: Record<string, string>; raw?: string };

const FOREIGN_ADMIN: BasicSubjectProfile = { id: 'cforeignadmin00000000000a', subjectType: 'USER', fullName: 'Another Admin' };
const MAX_BODY = 10 * 1024 * 1024;
let requestCounter = 0;

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const store = new Store(loadState(opts.state));
  const faults = new FaultQueue();
  const limiter = opts.rateLimits ? new RateLimiter(opts.rateLimits, opts.now) : undefined;
  const cfg: RouteConfig = {
    defaultLimit: opts.defaultLimit ?? 20,
    maxLimit: opts.maxLimit ?? 1000,
    rules: allRules(opts.validation),
    forbidOrganizationTokenList: opts.forbidOrganizationTokenList ?? false,
    implicitRoles: opts.implicitRoles ?? [],
    rolesAnswer: opts.rolesAnswer ?? 'full',
    omitTokenRoles: opts.omitTokenRoles ?? false,
    listQuirks: opts.listQuirks ?? {},
    subjects: { ...DEFAULT_SUBJECT_CONFIG, ...opts.subjects },
  };
  const log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    serve(req, res).catch((err: unknown) => {
      // A bug in the emulator: answer 500 rather than leaving the client hanging.
      if (!res.headersSent) send(res, errorResponse(new HttpError(500, `emulator error: ${(err as Error).message}`), ''));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `emu-${(++requestCounter).toString(36).padStart(8, '0')}`;
    res.setHeader('X-Request-Id', requestId);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const bearer = bearerOf(req);
    const entry: RequestLogEntry = { method, path: url.pathname, query: parseQuery(url.searchParams), status: 0, at: Date.now() };
    // The apiTokenId claim of a JWT bearer (decoded, not verified: the emulator trusts its callers).
    const callerId = bearer === undefined ? undefined : (tokenIdFromJwt(bearer).id ?? undefined);
    if (callerId !== undefined) entry.tokenId = callerId;
    log.push(entry);

    const { delayMs, fault } = faults.take(method, url.pathname);
    if (fault !== undefined) entry.fault = fault.kind;
    else if (delayMs > 0) entry.fault = 'delay';
    if (delayMs > 0) await sleep(delayMs);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset' && fault.when === 'before-response') {
      req.socket.resetAndDestroy();
      return;
    }
    let answer: Answer;
    if (fault?.kind === 'status') {
      answer = errorResponse(new HttpError(fault.status, `injected fault: ${fault.status}`), requestId);
      if (fault.body !== undefined) answer.raw = fault.body;
      if (fault.retryAfter !== undefined) answer.headers = { 'Retry-After': fault.retryAfter };
    } else {
      answer = await answerRequest(req, method, url.pathname, entry.query, bearer, callerId, requestId);
      if (opts.nullLists && answer.status < 300 && answer.body !== undefined) answer.body = emptyListsAsNull(answer.body);
    }
    if ((opts.latencyMs ?? 0) > 0) {
      // The answer is the state as handled: a change during the latency must not show in it.
      answer.raw ??= JSON.stringify(answer.body ?? {});
      await sleep(opts.latencyMs ?? 0);
    }
    entry.status = answer.status;
    if (fault?.kind === 'malformed' && fault.body !== undefined) answer.raw = fault.body;
    const mangle = fault?.kind === 'malformed' && fault.body === undefined ? 'malformed' : undefined;
    send(res, answer, mangle ?? (fault?.kind === 'reset' ? 'cut' : undefined));
    const event = subjectEvent(method, url.pathname, answer, fault);
    if (event !== undefined) {
      const due = faults.subjectEvent(event.subject, event.on);
      if (due !== undefined) foreignWrite(due);
    }
  }

  /** Another admin replaces the subject's roles (a token's list, a user's or team's whole set), unchecked. */
  function foreignWrite(f: ForeignWrite): void {
    if ('tokenId' in f) {
      const token = store.tokens.get(f.tokenId);
      if (token !== undefined) writeRoles(store, token, f.roles, FOREIGN_ADMIN);
      return;
    }
    const subject = 'userId' in f ? store.users.get(f.userId) : store.teams.get(f.teamId);
    if (subject !== undefined) storeSubjectRoles(store, subject, f.set);
  }

  async function answerRequest(
    req: IncomingMessage,
    method: string,
    path: string,
    query: Query,
    bearer: string | undefined,
    callerId: string | undefined,
    requestId: string,
  ): Promise<Answer> {
    try {
      if (bearer === undefined || (opts.token !== undefined && bearer !== opts.token)) {
        throw new HttpError(401, bearer === undefined ? 'missing bearer token' : 'invalid API token');
      }
      const wait = limiter?.take(bearer, method) ?? 0;
      if (wait > 0) {
        const r = errorResponse(new HttpError(429, 'rate limit exceeded, slow down'), requestId);
        return opts.retryAfter === false ? r : { ...r, headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait))) } };
      }
      const text = await readBody(req);
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, 'request body is not valid JSON');
        }
      }
      const segments = path.split('/').filter((s) => s !== '');
      if (segments[0] !== 'v1') throw new HttpError(404, `no such endpoint: ${method} ${path}`);
      return handle(store, cfg, { method, segments: segments.slice(1), query, body, callerId });
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err, requestId);
      throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}/v1`,
    port: address.port,
    log,
    state: () => structuredClone(store.raw),
    setState: (s) => store.reset(loadState(s)),
    fault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    mutate: (fn) => {
      const next = structuredClone(store.raw);
      fn(next);
      store.reset(loadState(next));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const SUBJECT_OF_PATH: Record<string, 'token' | 'user' | 'team'> = { tokens: 'token', users: 'user', teams: 'team' };

/** What a foreignWrite fault counts: a GET of one token, user or team, or a roles POST to it (answered, or rejected by a fault). */
function subjectEvent(method: string, path: string, answer: Answer, fault: RequestFault | undefined): { subject: SubjectKey; on: ForeignWriteTrigger } | undefined {
  if (answer.read !== undefined) return { subject: answer.read, on: 'read' };
  const m = method === 'POST' ? /\/(tokens|users|teams)\/([^/]+)\/roles$/.exec(path) : null;
  if (m === null) return undefined;
  const subject: SubjectKey = `${SUBJECT_OF_PATH[m[1]!]!}:${m[2]!}`;
  if (fault?.kind === 'status') return { subject, on: 'rejectedWrite' };
  return answer.status === 200 ? { subject, on: 'write' } : undefined;
}

function errorResponse(err: HttpError, requestId: string): ApiResponse {
  const body: Record<string, unknown> = { message: err.message, requestId, statusCode: err.status };
  if (err.fieldErrors !== undefined) body['fieldErrors'] = err.fieldErrors;
  return { status: err.status, body };
}

/** Writes the answer; 'malformed' sends half of the JSON, 'cut' sends headers and half the body, then resets. */
function send(res: ServerResponse, a: Answer, mode?: 'malformed' | 'cut'): void {
  for (const [k, v] of Object.entries(a.headers ?? {})) res.setHeader(k, v);
  if (a.status === 204 && mode === undefined) {
    res.writeHead(204).end();
    return;
  }
  let text = a.raw ?? JSON.stringify(a.body ?? {});
  if (mode === 'malformed') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  const bytes = Buffer.from(text);
  res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes.length) });
  if (mode === 'cut') {
    // Flush the headers and half the body, then drop the connection: the client sees a truncated answer.
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.resetAndDestroy());
    return;
  }
  res.end(bytes);
}

function bearerOf(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A copy with every empty array replaced by null. */
function emptyListsAsNull(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? null : v.map(emptyListsAsNull);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, emptyListsAsNull(x)]));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
