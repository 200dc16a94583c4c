import { HttpError } from './http-error.ts';

// Query-string reading as the API does it: arrays are repeated keys, booleans are true/false,
// pagination is offset/limit/sorts.

export type Query = Record<string, string | string[]>;

export function parseQuery(params: URLSearchParams): Query {
  const q: Query = {};
  for (const [k, v] of params) {
    const prev = q[k];
    q[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return q;
}

export function many(q: Query, key: string): string[] | undefined {
  const v = q[key];
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

export function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function bool(q: Query, key: string): boolean | undefined {
  const v = one(q, key);
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badParam(key, `must be true or false, got ${JSON.stringify(v)}`);
}

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface Page {
  offset: number;
  limit: number;
  sorts: SortKey[];
}

/** A limit above maxLimit is capped (the answer's `limit` says so), as a capping server does. */
export function parsePage(q: Query, defaultLimit: number, maxLimit: number): Page {
  const offset = intParam(q, 'offset') ?? 0;
  const limit = Math.min(intParam(q, 'limit') ?? defaultLimit, maxLimit);
  const sorts = (many(q, 'sorts') ?? []).map((s) => {
    const m = /^([A-Za-z][A-Za-z0-9]*)(?::(asc|desc))?$/i.exec(s);
    if (m === null) throw badParam('sorts', `expected field:asc or field:desc, got ${JSON.stringify(s)}`);
    return { field: m[1] ?? '', desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
  return { offset, limit, sorts };
}

function intParam(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw badParam(key, `must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function badParam(field: string, message: string): HttpError {
  return new HttpError(400, `invalid query parameter ${field}: ${message}`, [{ field, code: 'INVALID', message }]);
}
