import { quote } from './sanitize.ts';

// "Did you mean": edit distance for hints on misspelt keys, flags, commands and names; `closest` picks
// one, `closestNames` several (so an error can show every near spelling).

/** Damerau-Levenshtein (optimal string alignment): a swap of two adjacent letters counts as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the one before last is needed for transpositions.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word`, ignoring case, if it is within a third of the word's length
 * (at least 1 edit, at most 3); otherwise undefined.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

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
