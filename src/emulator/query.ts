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

/** The API's own ceiling: a `limit` above it is a 400, not silently capped (astro-api.md). */
export const API_MAX_LIMIT = 1000;

/**
 * offset/limit/sorts. A limit above API_MAX_LIMIT is a 400; one above a lower `maxLimit` is capped (the
 * answer's `limit` says so), as a capping server does. Sort keys are the ones the list documents (`sortKeys`
 * maps each to the field it orders by), each with an explicit `:asc` or `:desc`.
 */
export function parsePage(q: Query, defaultLimit: number, maxLimit: number, sortKeys: Readonly<Record<string, string>>): Page {
  const offset = intParam(q, 'offset') ?? 0;
  const asked = intParam(q, 'limit') ?? defaultLimit;
  if (asked > API_MAX_LIMIT) throw badParam('limit', `must be at most ${API_MAX_LIMIT}, got ${asked}`);
  const limit = Math.min(asked, maxLimit);
  const sorts = (many(q, 'sorts') ?? []).map((s) => {
    const m = /^([A-Za-z]+):(asc|desc)$/.exec(s);
    if (m === null) throw badParam('sorts', `expected key:asc or key:desc, got ${JSON.stringify(s)}`);
    const field = sortKeys[m[1] ?? ''];
    if (field === undefined) throw badParam('sorts', `unknown sort key ${JSON.stringify(m[1])}; one of ${Object.keys(sortKeys).join(', ')}`);
    return { field, desc: m[2] === 'desc' };
  });
  return { offset, limit, sorts };
}

/** A value that must be one of `allowed`; undefined when absent. */
export function oneOf(q: Query, key: string, allowed: readonly string[]): string | undefined {
  const v = one(q, key);
  if (v !== undefined && !allowed.includes(v)) throw badParam(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
}

/** Repeated values that must each be one of `allowed`; undefined when absent. */
export function manyOf(q: Query, key: string, allowed: readonly string[]): string[] | undefined {
  const vs = many(q, key);
  for (const v of vs ?? []) if (!allowed.includes(v)) throw badParam(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return vs;
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
