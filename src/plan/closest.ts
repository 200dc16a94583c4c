import { editDistance } from '../util/closest.ts';
import { quote } from '../util/sanitize.ts';

// "Did you mean": the existing names nearest to a misspelt one, several of them (util/closest.ts
// picks only one), so an error can show every near spelling.

/** Distinct candidates within `maxDistance` edits, nearest first, at most `limit` of them. */
export function closestNames(
  wanted: string,
  candidates: Iterable<string>,
  maxDistance = 3,
  limit = 3,
): string[] {
  const scored: { name: string; d: number }[] = [];
  for (const name of new Set(candidates)) {
    if (Math.abs(name.length - wanted.length) > maxDistance) continue;
    const d = editDistance(wanted, name);
    if (d <= maxDistance) scored.push({ name, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** `; did you mean "a", "b"?` or `` when nothing is close. */
export function didYouMean(wanted: string, candidates: Iterable<string>): string {
  const near = closestNames(wanted, candidates);
  return near.length === 0 ? '' : `; did you mean ${near.map(quote).join(', ')}?`;
}
