import type { PlanAction } from './types.ts';

// Which actions an expiring grant caused. A removal carries `expires` (the text as written) only when
// the grant it removes was declared with an end that has passed; every other removal has none.

/** The removal of a live binding whose declared grant has expired. */
export function isExpiryRemoval(a: Pick<PlanAction, 'action' | 'expires'>): boolean {
  return a.action === 'remove' && a.expires !== undefined;
}
