import type { Diagnostic } from '../manifest/types.ts';
import { sanitizeTerminal } from '../util/sanitize.ts';
import { displayWidth } from './width.ts';

// A syntax error's source line with a caret under the column, as compilers show it:
//   3 |     deploymnets: [
//     |                  ^

/** The excerpt lines for a diagnostic that carries one; none otherwise. */
export function caretExcerpt(d: Diagnostic): string[] {
  if (d.excerpt === undefined) return [];
  const { line, col, text } = d.excerpt;
  const gutter = String(line);
  // Tabs become one space so the caret lines up; everything else unsafe is escaped visibly (and so widened alike).
  const source = text.replace(/\t/g, ' ');
  const before = sanitizeTerminal(source.slice(0, Math.max(0, col - 1)));
  return [
    `  ${gutter} | ${sanitizeTerminal(source)}`,
    `  ${' '.repeat(gutter.length)} | ${' '.repeat(displayWidth(before))}^`,
  ];
}
