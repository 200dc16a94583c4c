import { sanitizeTerminal } from '../util/sanitize.ts';
import { alignCells } from './width.ts';
import { plural } from '../util/plural.ts';

/**
 * A plain aligned table, like the astro CLI's list output. Cells are stripped of control characters and
 * aligned by terminal width, as the plan's columns are (a wide character takes two cells).
 */
export function formatTable(header: string[], rows: string[][]): string {
  const aligned = alignCells([header, ...rows.map((r) => r.map(sanitizeTerminal))]);
  return aligned.map((cells) => cells.join('  ').trimEnd()).join('\n') + '\n';
}

/** "3 days ago", as the astro CLI prints CREATED. */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const units: [string, number][] = [['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3_600], ['minute', 60]];
  for (const [unit, size] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${plural(n, unit)} ago`;
  }
  return 'just now';
}
