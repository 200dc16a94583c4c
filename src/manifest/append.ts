/**
 * Appends in place. `target.push(...items)` passes every item as an argument and overflows the stack
 * past roughly 100,000 items, which a hostile 5 MB manifest easily produces.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
