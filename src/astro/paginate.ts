import { AstroApiError } from '../errors.ts';
import type { Query, Transport } from './http.ts';

/** Restarts allowed when a list changes under the reader, before giving up with an error. */
const MAX_RESTARTS = 3;
/**
 * The largest list believed: no organization holds 200,000 tokens, deployments, workspaces, roles, users or teams
 * (the benchmarks go to 25,000). A larger totalCount, or more items than this without one, is a server
 * that lies or never ends; failing keeps the read bounded in time and memory.
 */
export const MAX_LIST_ITEMS = 200_000;
/** Pages beyond ceil(totalCount / page size) allowed for a server that serves fewer items than asked. */
const SPARE_PAGES = 2;
/** Pages of 100 (the astro CLI's size) for the largest list believed: a bound on requests whatever is served. */
const MAX_PAGES = MAX_LIST_ITEMS / 100;

/**
 * Reads every page of a list endpoint and returns exactly `totalCount` distinct items (by `id`), or
 * fails naming the endpoint and the counts: a plan is never made from a partial read. Advances by the
 * number of items actually returned, so a server that caps `limit` (and says so in the answer's `limit`)
 * is still read to the end; stops at `totalCount`, so the request count is the lower bound.
 *
 * Offset paging over a list that changes (a token created or deleted mid-read) shifts the items: one
 * would be read twice and another missed. A change of `totalCount` between pages, or a count of
 * distinct items that misses `totalCount`, reveals it, and the read starts over (a few times), so the
 * result is one consistent listing. A server that keeps lying fails.
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
  let last: Incomplete | undefined;
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
    const read = await readOnce<T, U>(transport, path, key, alsoKey, pageSize, query);
    if ('items' in read) return read;
    last = read;
  }
  const why = last?.distinct !== undefined
    ? `read ${last.distinct} distinct items, but totalCount is ${last.total} (${MAX_RESTARTS + 1} attempts): the server's pages are incomplete or repeat items`
    : `the list kept changing while it was read (${MAX_RESTARTS + 1} attempts); try again`;
  throw listError(path, why, MAX_RESTARTS + 1);
}

/** Why one read did not yield the list: totalCount changed between pages, or the items did not add up. */
interface Incomplete {
  total: number | undefined;
  distinct?: number;
}

async function readOnce<T, U>(
  transport: Transport,
  path: string,
  key: string,
  alsoKey: string | undefined,
  pageSize: number,
  query: Query,
): Promise<{ items: T[]; also: U[] } | Incomplete> {
  const items = new Map<string, T>();
  const also: U[] = [];
  let offset = 0;
  let firstTotal: number | undefined;
  let bound = MAX_PAGES;
  for (let pages = 1; ; pages++) {
    const { data } = await transport.request<Record<string, unknown>>('GET', path, {
      query: { ...query, offset, limit: pageSize },
    });
    const page = Array.isArray(data[key]) ? (data[key] as T[]) : [];
    const total = typeof data['totalCount'] === 'number' ? data['totalCount'] : undefined;
    if (pages === 1) {
      firstTotal = total;
      if (total !== undefined && (total > MAX_LIST_ITEMS || total < 0 || !Number.isInteger(total))) {
        throw listError(path, `totalCount ${total} is over the limit of ${MAX_LIST_ITEMS} items a list may have (or not a count)`, 1);
      }
      if (total !== undefined) bound = maxPages(total, pageSize, data['limit'], page.length);
    } else if (total !== firstTotal) return { total };
    const known = items.size;
    for (const item of page) items.set(itemKey(item), item);
    // A page of nothing new: the server ignores offset, or the list shifted under a tiny page size.
    if (page.length > 0 && items.size === known) {
      if (firstTotal === undefined) throw listError(path, `the page at offset ${offset} repeats items already read (the server ignores offset?)`, pages);
      return { total: firstTotal, distinct: items.size };
    }
    if (alsoKey !== undefined && Array.isArray(data[alsoKey])) also.push(...(data[alsoKey] as U[]));
    offset += page.length;
    if (items.size > MAX_LIST_ITEMS) throw listError(path, `more than ${MAX_LIST_ITEMS} items and no end in sight`, pages);
    if (page.length === 0 || (firstTotal !== undefined && offset >= firstTotal)) break;
    if (pages >= bound) {
      throw listError(path, `${pages} pages read for a totalCount of ${firstTotal ?? 'unknown'} without reaching it`, pages);
    }
  }
  // Without a totalCount (not in the API's contract, but possible) the empty page is the only end.
  if (firstTotal !== undefined && items.size !== firstTotal) return { total: firstTotal, distinct: items.size };
  return { items: [...items.values()], also };
}

/**
 * ceil(totalCount / page size) + SPARE_PAGES, by the smallest of the page size asked, the `limit` the
 * answer states and the first page's length (a server may cap pages without saying so), and never more
 * than MAX_PAGES: a first page of one item cannot make the read endless.
 */
function maxPages(total: number, pageSize: number, servedLimit: unknown, firstPage: number): number {
  let size = pageSize;
  if (typeof servedLimit === 'number' && servedLimit > 0) size = Math.min(size, servedLimit);
  if (firstPage > 0) size = Math.min(size, firstPage);
  return Math.min(Math.ceil(total / size) + SPARE_PAGES, MAX_PAGES);
}

/** Items are told apart by their `id`; one without (none in the API) by its whole JSON. */
function itemKey(item: unknown): string {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `id:${id}` : `json:${JSON.stringify(item)}`;
}

function listError(path: string, why: string, attempts: number): AstroApiError {
  return new AstroApiError({ message: `Astro API GET ${path}: ${why}`, method: 'GET', path, attempts });
}
