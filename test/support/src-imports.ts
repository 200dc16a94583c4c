import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './cli.ts';

// The imports between modules of src/, read from the sources, for the architecture tests.

export const SRC = join(ROOT, 'src');

export interface Edge { from: string; to: string; typeOnly: boolean; line: number }

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import (static, re-export or dynamic) of one file that stays inside src/. */
export function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file);
  const edges: Edge[] = [];
  const pattern = /\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[4] ?? m[5]!;
    const target = relative(SRC, resolve(dirname(file), spec));
    if (target.startsWith('..')) continue; // package.json, schemas/, scripts/: not a layer
    const names = m[3] ?? '';
    const allTyped = /^\{[^}]*\}$/.test(names.trim()) &&
      names.replace(/[{}]/g, '').split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    edges.push({ from, to: target, typeOnly: m[2] !== undefined || allTyped, line: text.slice(0, m.index).split('\n').length });
  }
  return edges;
}
