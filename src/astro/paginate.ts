import { AstroApiError } from '../errors.ts';
import type { Query, Transport } from './http.ts';

/** Restarts allowed when a list changes under the reader, before giving up with an error. */
const MAX_RESTARTS = 3;

/**
 * Reads every page of a list endpoint. Advances by the number of items actually returned, so a server
 * that ignores or caps `limit` is still read to the end, and stops at `totalCount` so the request count
 * is the lower bound (ceil(total / page size), at least one). Without a usable `totalCount` it reads
 * until an empty page.
 *
 * Offset paging over a list that changes (a token created or deleted mid-read) shifts the items: one
 * would be read twice and another silently missed. A change of `totalCount` between pages reveals it,
 * and the read starts over, so the result is one consistent listing.
 */
export async function readAllPages<T>(
  transport: Transport,
  path: string,
  key: string,
  pageSize: number,
  query: Query = {},
): Promise<T[]> {
  return (await readAllPagesWith<T, never>(transport, path, key, undefined, pageSize, query)).items;
}

/**
 * readAllPages, also collecting a second array some answers carry beside the items (the roles list's
 * `defaultRoles`) from every page of the consistent read; `null` or absent reads as [].
 */
export async function readAllPagesWith<T, U>(
  transport: Transport,
  path: string,
  key: string,
  alsoKey: string | undefined,
  pageSize: number,
  query: Query = {},
): Promise<{ items: T[]; also: U[] }> {
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
    const read = await readOnce<T, U>(transport, path, key, alsoKey, pageSize, query);
    if (read !== 'changed') return read;
  }
  throw new AstroApiError({
    message: `Astro API GET ${path}: the list kept changing while it was read (${MAX_RESTARTS + 1} attempts); try again`,
    method: 'GET',
    path,
    attempts: MAX_RESTARTS + 1,
  });
}

async function readOnce<T, U>(
  transport: Transport,
  path: string,
  key: string,
  alsoKey: string | undefined,
  pageSize: number,
  query: Query,
): Promise<{ items: T[]; also: U[] } | 'changed'> {
  const items: T[] = [];
  const also: U[] = [];
  let offset = 0;
  let firstTotal: unknown;
  for (;;) {
    const { data } = await transport.request<Record<string, unknown>>('GET', path, {
      query: { ...query, offset, limit: pageSize },
    });
    const page = Array.isArray(data[key]) ? (data[key] as T[]) : [];
    const total = data['totalCount'];
    if (offset === 0) firstTotal = total;
    else if (typeof total === 'number' && total !== firstTotal) return 'changed';
    items.push(...page);
    if (alsoKey !== undefined && Array.isArray(data[alsoKey])) also.push(...(data[alsoKey] as U[]));
    offset += page.length;
    if (page.length === 0) break;
    if (typeof total === 'number' && offset >= total) break;
  }
  return { items, also };
}
