import type { Page } from './query.ts';
import type { ApiResponse, ListQuirks } from './route-types.ts';

/** One page of a list answer, `{[key]: items, totalCount, offset, limit, ...extra}`, lying as `q` asks. */
export function paged(key: string, items: readonly unknown[], p: Page, extra: Record<string, unknown> = {}, q: ListQuirks = {}): ApiResponse {
  const from = q.ignoreOffset ? 0 : p.offset;
  // growingTotal: the further one reads, the more there is said to be (stateless: it grows with offset).
  const totalCount = items.length + (q.overstateTotal ?? 0) + (q.growingTotal ? p.offset + p.limit : 0);
  return {
    status: 200,
    body: { [key]: items.slice(from, from + p.limit), totalCount, offset: p.offset, limit: q.claimLimit ?? p.limit, ...extra },
  };
}
