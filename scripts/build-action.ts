import { build, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

// Bundles the GitHub Action (src/github/main.ts) into one ESM file: dist/index.js by default, or
// <outdir>/index.js (the "dist is current" test builds into a temp dir and compares bytes).
// Not minified, so the committed bundle can be reviewed; deterministic for the same sources.

export const ROOT = resolve(import.meta.dirname, '..');

// @actions/http-client (under @actions/core) pins its own undici 6 for ProxyAgent alone, which undici 7
// has with the same constructor: bundle one copy, the project's.
const oneUndici: Plugin = {
  name: 'one-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: createRequire(resolve(ROOT, 'package.json')).resolve('undici') }));
  },
};

export async function buildAction(outdir: string = resolve(ROOT, 'dist')): Promise<string> {
  const outfile = resolve(outdir, 'index.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/github/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    // CommonJS dependencies inside an ESM bundle call require(): give them one.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    plugins: [oneUndici],
  });
  return outfile;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = await buildAction(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  console.log(`built ${out}`);
}
