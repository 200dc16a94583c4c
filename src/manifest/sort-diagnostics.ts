import type { Diagnostic } from './types.ts';

/** By file (in the order given, else by name), then line, then column, then message: a stable reading order. */
export function sortDiagnostics(list: readonly Diagnostic[], order: ReadonlyMap<string, number> = new Map()): Diagnostic[] {
  return [...list].sort((a, b) =>
    (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.col - b.col ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
