// Counts requests by kind from the emulator's log: what a run cost, in the API's own currency.

export type RequestKind =
  | 'list tokens'
  | 'list deployments'
  | 'list workspaces'
  | 'list roles'
  | 'get token'
  | 'post roles'
  | 'other';

export const KINDS: readonly RequestKind[] = [
  'list tokens',
  'list deployments',
  'list workspaces',
  'list roles',
  'get token',
  'post roles',
  'other',
];

export interface LogLine {
  method: string;
  path: string;
  status: number;
  /** Date.now() at arrival. */
  at: number;
}

export interface RequestSummary {
  byKind: Record<RequestKind, number>;
  get: number;
  post: number;
  /** 429 answers. */
  rateLimited: number;
  /** Other answers that were not 2xx. */
  failed: number;
  /** Arrival of the first and the last request (ms since the epoch); 0 when there were none. */
  firstAt: number;
  lastAt: number;
}

export function classify(method: string, path: string): RequestKind {
  const m = /\/organizations\/[^/]+\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?\/?$/.exec(path);
  if (m === null) return 'other';
  const [, resource, id, sub] = m;
  if (method === 'GET' && id === undefined) {
    if (resource === 'tokens') return 'list tokens';
    if (resource === 'deployments') return 'list deployments';
    if (resource === 'workspaces') return 'list workspaces';
    if (resource === 'roles') return 'list roles';
  }
  if (resource === 'tokens' && id !== undefined) {
    if (method === 'GET' && sub === undefined) return 'get token';
    if (method === 'POST' && sub === 'roles') return 'post roles';
  }
  return 'other';
}

export function summarize(log: readonly LogLine[]): RequestSummary {
  const byKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<RequestKind, number>;
  const s: RequestSummary = { byKind, get: 0, post: 0, rateLimited: 0, failed: 0, firstAt: 0, lastAt: 0 };
  for (const e of log) {
    byKind[classify(e.method, e.path)]++;
    if (e.method === 'GET') s.get++;
    else if (e.method === 'POST') s.post++;
    if (e.status === 429) s.rateLimited++;
    else if (e.status < 200 || e.status >= 300) s.failed++;
    if (s.firstAt === 0 || e.at < s.firstAt) s.firstAt = e.at;
    if (e.at > s.lastAt) s.lastAt = e.at;
  }
  return s;
}
