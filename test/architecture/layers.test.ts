import { describe, expect, it } from 'vitest';
import { SRC, importsOf, sourceFiles } from '../support/src-imports.ts';
import type { Edge } from '../support/src-imports.ts';

// The layer rule of docs/architecture.md, read from the sources: every import in src/ runs down a
// layer (or stays in its folder); the few sideways edges are listed here, each with its reason.

/** Layer of a module (path relative to src/), and its height: imports may only go to lower heights. */
function layerOf(path: string): { name: string; height: number } {
  const top = path.includes('/') ? path.slice(0, path.indexOf('/')) : path.replace(/\.ts$/, '');
  const heights: Record<string, number> = {
    util: 0, errors: 0, version: 0,
    manifest: 1, astro: 1, emulator: 1,
    plan: 2,
    render: 3, apply: 3,
    session: 4,
    commands: 5, github: 5, cli: 5, demo: 5,
  };
  const height = heights[top];
  if (height === undefined) throw new Error(`src/${path} is in no layer: add its folder to docs/architecture.md and this test`);
  return { name: top, height };
}

/** Imports between two layers of the same height that are allowed. */
const SIDEWAYS = new Set([
  'emulator→astro', // the emulator speaks the client's types and reads the same JWT
  'cli→commands', // the CLI is the entry point that dispatches to the commands
]);
/** Imports allowed only with `import type`. */
const TYPES_ONLY = new Set([
  'plan→astro', // the planner is pure: it reads the client's data shapes, never the client
  'errors→manifest', // ManifestError carries the manifest's Diagnostic
]);

function violation(e: Edge): string | undefined {
  const a = layerOf(e.from);
  const b = layerOf(e.to);
  if (a.name === b.name) return undefined;
  const key = `${a.name}→${b.name}`;
  if (TYPES_ONLY.has(key)) return e.typeOnly ? undefined : `${key} must be \`import type\``;
  if (b.height < a.height || SIDEWAYS.has(key)) return undefined;
  return b.height > a.height ? `${key} runs up a layer` : `${key} runs sideways`;
}

const edges = sourceFiles(SRC).flatMap(importsOf);

describe('layers (docs/architecture.md)', () => {
  it('reads the imports of every module in src/', () => {
    // A floor so a broken pattern cannot pass by finding nothing.
    expect(sourceFiles(SRC).length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.filter((e) => e.typeOnly).length).toBeGreaterThan(50);
  });

  it('has no import that runs up a layer or sideways where not allowed', () => {
    const bad = edges.flatMap((e) => {
      const why = violation(e);
      return why === undefined ? [] : [`src/${e.from}:${e.line} imports src/${e.to}: ${why}`];
    });
    expect(bad).toEqual([]);
  });

  it('catches an upward, a sideways and a run-time plan→astro import', () => {
    expect(violation({ from: 'astro/client.ts', to: 'plan/types.ts', typeOnly: true, line: 1 })).toMatch(/up a layer/);
    expect(violation({ from: 'apply/receipt.ts', to: 'render/text.ts', typeOnly: false, line: 1 })).toMatch(/sideways/);
    expect(violation({ from: 'plan/planner.ts', to: 'astro/client.ts', typeOnly: false, line: 1 })).toMatch(/import type/);
    expect(violation({ from: 'plan/planner.ts', to: 'astro/types.ts', typeOnly: true, line: 1 })).toBeUndefined();
    expect(violation({ from: 'render/text.ts', to: 'plan/types.ts', typeOnly: true, line: 1 })).toBeUndefined();
  });
});
