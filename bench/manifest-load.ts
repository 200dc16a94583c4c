import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrg, sizeOf } from './generate.ts';
import { loadManifestFiles } from '../src/manifest/load.ts';

// The manifest load alone at the largest benchmark size (50×: 5 files, 100,000 bindings): CPU time and the
// peak memory of a fresh process that loads 0, 1 and 5 of the files. Each measurement runs in its own child,
// so the generator's heap does not count.
//
//   npx tsx bench/manifest-load.ts [RUNS]          (default 3 runs each; prints the median CPU, the largest peak)
//   node --import tsx bench/manifest-load.ts --child FILE...   (one measurement; prints one JSON line)

interface Measurement {
  files: number;
  cpuMs: number;
  maxRssMb: number;
  /** Heap still used after the load and a full GC: what the Desired keeps (only with --expose-gc). */
  heapAfterMb?: number;
  bindings: number;
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else driver(Number(process.argv[2] ?? 3));

async function child(files: string[]): Promise<void> {
  const start = process.cpuUsage();
  const loaded = files.length > 0 ? await loadManifestFiles(files) : undefined;
  const used = process.cpuUsage(start);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  if (loaded !== undefined && (loaded.desired === undefined || loaded.errors.length > 0)) {
    throw new Error(`the generated manifest does not load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const out: Measurement = {
    files: files.length,
    cpuMs: Math.round((used.user + used.system) / 1000),
    maxRssMb: Math.round(maxRssMb),
    bindings: loaded?.desired?.deployments.reduce((n, d) => n + (d.workspaceTokens?.length ?? 0) + (d.organizationTokens?.length ?? 0), 0) ?? 0,
  };
  if (gc !== undefined) out.heapAfterMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
  process.stdout.write(JSON.stringify(out) + '\n');
}

function driver(runs: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-load-'));
  try {
    const { manifests } = generateOrg(sizeOf(50), { add: 0.015, update: 0.015, remove: 0.015 });
    const paths = manifests.map((m) => {
      const path = join(dir, m.file);
      writeFileSync(path, m.text);
      return path;
    });
    console.log(`50×: ${paths.length} files, ${manifests.reduce((n, m) => n + m.text.length, 0).toLocaleString('en')} characters; ${runs} runs each`);
    for (const count of [0, 1, 2, 5]) {
      const results: Measurement[] = [];
      for (let i = 0; i < runs; i++) results.push(measure(paths.slice(0, count)));
      const cpu = results.map((r) => r.cpuMs).sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
      const rss = Math.max(...results.map((r) => r.maxRssMb));
      const heap = Math.max(...results.map((r) => r.heapAfterMb ?? 0));
      const bindings = results[0]?.bindings ?? 0;
      console.log(`${count} file(s), ${bindings.toLocaleString('en')} bindings: load CPU ${cpu} ms (median), peak RSS ${rss} MB (max), heap after load + GC ${heap} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(files: string[]): Measurement {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--child', ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`the measuring process failed (exit ${String(result.status)})`);
  return JSON.parse(result.stdout) as Measurement;
}
