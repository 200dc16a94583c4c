import { describe, expect, it } from 'vitest';
import { SRC, importsOf, sourceFiles } from '../support/src-imports.ts';

// No two modules of src/ import each other, directly or round a loop, not even with `import type`:
// a loop means neither can be read, moved or tested without the other (issue 15).

/** One module path of every import loop, as `a → b → a`, found by depth-first search. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (v: string): void => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (state.get(w) === 'open') found.push([...stack.slice(stack.indexOf(w)), w].join(' → '));
      else if (state.get(w) === undefined && graph.has(w)) visit(w);
    }
    stack.pop();
    state.set(v, 'done');
  };
  for (const v of [...graph.keys()].sort()) if (state.get(v) === undefined) visit(v);
  return found;
}

function graphOf(edges: { from: string; to: string }[]): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const e of edges) {
    g.set(e.from, [...(g.get(e.from) ?? []), e.to]);
    if (!g.has(e.to)) g.set(e.to, []);
  }
  return g;
}

describe('import cycles', () => {
  it('src/ has none, type-only imports included', () => {
    const edges = sourceFiles(SRC).flatMap(importsOf);
    expect(edges.length).toBeGreaterThan(300); // a broken reader cannot pass by finding nothing
    expect(cycles(graphOf(edges))).toEqual([]);
  });

  it('finds a two-module loop and a longer one', () => {
    const g = graphOf([
      { from: 'astro/answers.ts', to: 'astro/http.ts' },
      { from: 'astro/http.ts', to: 'astro/answers.ts' },
      { from: 'a.ts', to: 'b.ts' },
      { from: 'b.ts', to: 'c.ts' },
      { from: 'c.ts', to: 'a.ts' },
      { from: 'c.ts', to: 'd.ts' },
    ]);
    expect(cycles(g)).toEqual(['a.ts → b.ts → c.ts → a.ts', 'astro/answers.ts → astro/http.ts → astro/answers.ts']);
  });
});
