import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.ts';
import { CLI_BIN, ROOT, runCliProcess, tempDir } from '../support/cli.ts';

// What the npm package is: the compiled CLI, its real dependencies, its license, and nothing else.
// (CI also packs the tarball, installs it into an empty folder and runs it: .ci/run.)

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
  license: string;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

/** The packages a compiled file imports: bare specifiers, `node:` built-ins left out, subpaths cut to the name. */
function importedPackages(text: string): string[] {
  const specs = [...text.matchAll(/(?:^import\s[^'"]*?from\s*|^import\s*|\bimport\()\s*["']([^"'./][^"']*)["']/gm)].map((m) => m[1]!);
  return specs.filter((s) => !s.startsWith('node:')).map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
}

/** The lowest Node version a `>=X.Y.Z` / `>= X` range admits, as [major, minor, patch]. */
function lowerBound(range: string): number[] {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!m) throw new Error(`unexpected engines range ${JSON.stringify(range)}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}
function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

describe('the package', () => {
  it('runs plain JavaScript: the bin loads the compiled lib/, no TypeScript loader', async () => {
    const bin = readFileSync(CLI_BIN, 'utf8');
    expect(bin).toContain("import('../lib/cli.js')");
    expect(bin).not.toMatch(/tsx|\.ts['"]/);
    for (const file of jsFiles(join(ROOT, 'lib'))) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from\s*["'][^"']*\.ts["']|["']tsx/);
    const r = await runCliProcess(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('says to build, rather than failing on a module path, where lib/ was never built', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    copyFileSync(CLI_BIN, join(dir, 'bin/astro-access.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const r = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(process.execPath, [join(dir, 'bin/astro-access.js'), '--version'], (err, _out, stderr) => done({ code: err ? (err.code as number) : 0, stderr })),
    );
    expect(r).toEqual({ code: 1, stderr: 'error: the compiled CLI (lib/cli.js) is missing: run `npm run build` in this checkout\n' });
  });

  it('depends at run time on exactly what the compiled CLI imports; build tools and Action-only packages are devDependencies', () => {
    const imported = new Set(jsFiles(join(ROOT, 'lib')).flatMap((f) => importedPackages(readFileSync(f, 'utf8'))));
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    for (const dev of ['tsx', 'esbuild', '@octokit/rest', '@actions/core']) expect(Object.keys(pkg.devDependencies)).toContain(dev);
  });

  it('asks for a Node version every run-time dependency accepts', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
    };
    const ours = lowerBound(pkg.engines.node);
    const runtime = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev !== true);
    expect(runtime.length).toBeGreaterThan(0);
    for (const [path, p] of runtime) {
      const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
      if (node === undefined) continue;
      // Only simple lower bounds appear in today's tree; anything else fails here to be read by a person.
      expect(compareVersions(ours, lowerBound(node)), `${path} needs node ${node}, engines says ${pkg.engines.node}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('ships the Apache-2.0 license it declares', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^\s*Apache License\n\s*Version 2\.0, January 2004\n/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('packs the bin, the compiled CLI, schemas, examples, README and LICENSE; no sources, tests, benchmarks, scripts or CI', async () => {
    const out = await new Promise<string>((done, fail) =>
      execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
        err ? fail(err) : done(stdout),
      ),
    );
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const want of ['package.json', 'README.md', 'LICENSE', 'bin/astro-access.js', 'lib/cli.js', 'schemas/manifest.schema.json', 'examples/emulator-state.json']) {
      expect(files).toContain(want);
    }
    expect(files.some((f) => f.startsWith('lib/chunks/'))).toBe(true);
    const unwanted = files.filter((f) => /^(src|test|bench|scripts|dist|\.ci|\.github|node_modules)\/|^(tsconfig\.json|vitest\.config\.ts|action\.yml)$|\.ts$/.test(f));
    expect(unwanted).toEqual([]);
  });
});
