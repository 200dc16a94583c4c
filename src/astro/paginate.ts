import type { Query, Transport } from './http.ts';

/**
 * Reads every page of a list endpoint. Advances by the number of items actually returned, so a server
 * that ignores or caps `limit` is still read to the end, and stops at `totalCount` so the request count
 * is the lower bound (ceil(total / page size), at least one). Without a usable `totalCount` it reads
 * until an empty page.
 */
export async function readAllPages<T>(
  transport: Transport,
  path: string,
  key: string,
  pageSize: number,
  query: Query = {},
): Promise<T[]> {
  const items: T[] = [];
  let offset = 0;
  for (;;) {
    const { data } = await transport.request<Record<string, unknown>>('GET', path, {
      query: { ...query, offset, limit: pageSize },
    });
    const page = Array.isArray(data[key]) ? (data[key] as T[]) : [];
    items.push(...page);
    offset += page.length;
    const total = data['totalCount'];
    if (page.length === 0) break;
    if (typeof total === 'number' && offset >= total) break;
  }
  return items;
}
