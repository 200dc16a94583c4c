import { build, type BuildOptions, type Plugin } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// Compiles the CLI (src/cli.ts and what it imports from src/) into one plain-JavaScript ESM file,
// lib/cli.js by default, which bin/astro-access.js loads: no TypeScript loader at run time.
// Dependencies stay external (they are the package's `dependencies`, installed beside it), so the
// bundle holds only this project's code and needs no third-party notices.
// Run by `npm run build`, by `prepare` (so `npm ci` in a checkout gives a working bin), and by the
// test setup, so process tests run the sources under test.

export const ROOT = resolve(import.meta.dirname, '..');
/**
 * src/version.ts imports package.json for its version: the bundles get only that field, so editing the
 * manifest's scripts or dependencies does not change (or stale) a bundle. Shared with build-action.ts.
 */
export const packageVersionOnly: Plugin = {
  name: 'package-version-only',
  setup(b) {
    const file = resolve(ROOT, 'package.json');
    b.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
      if (resolve(args.path) !== file) return undefined;
      const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** What both bundles (the CLI's and the Action's) are: ESM for Node 20, readable, no comments of their own. */
export const NODE_BUNDLE = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  metafile: true,
} as const satisfies BuildOptions;

export const CLI_DIR = resolve(ROOT, 'lib');
export const CLI_BUNDLE = resolve(CLI_DIR, 'cli.js');

/**
 * Builds into a scratch folder, then moves the chunks (named by content hash, so never changed in place)
 * into `outdir` and renames the entry over the old one last: a process already running, or started during
 * a concurrent build, never loads a half-written or mismatched file. Chunks no build refers to any more
 * are removed. Returns the entry's path.
 */
export async function buildCli(outdir: string = CLI_DIR): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const scratch = mkdtempSync(join(outdir, '.build-'));
  try {
    const result = await build({
      entryPoints: { cli: 'src/cli.ts' },
      outdir: scratch,
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      ...NODE_BUNDLE,
      splitting: true,
      packages: 'external',
      plugins: [packageVersionOnly],
    });
    const chunks = Object.keys(result.metafile.outputs)
      .map((out) => relative(scratch, resolve(ROOT, out)))
      .filter((out) => out.startsWith('chunks/'));
    mkdirSync(join(outdir, 'chunks'), { recursive: true });
    for (const chunk of chunks) renameSync(join(scratch, chunk), join(outdir, chunk));
    const entry = join(outdir, 'cli.js');
    renameSync(join(scratch, 'cli.js'), entry);
    const wanted = new Set(chunks.map((c) => c.slice('chunks/'.length)));
    for (const old of readdirSync(join(outdir, 'chunks'))) if (!wanted.has(old)) rmSync(join(outdir, 'chunks', old), { force: true });
    return entry;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = await buildCli(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  console.log(`built ${out}`);
}
