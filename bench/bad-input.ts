// Times every bad-input corpus file (test/bad-input/corpus.ts) through the CLI's validate path, in process:
// `npx tsx bench/bad-input.ts [--only SUBSTRING]`. Prints each file's wall time, then max and median.
// The budget is one second per file; files over it are listed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allInputs, materialize } from '../test/bad-input/corpus.ts';
import { runMain } from '../test/faults/harness.ts';

const BUDGET_MS = 1000;

async function bench(): Promise<void> {
  const only = process.argv.indexOf('--only');
  const filter = only >= 0 ? process.argv[only + 1] ?? '' : '';
  const inputs = allInputs().filter((i) => i.name.includes(filter));
  const dir = mkdtempSync(join(tmpdir(), 'astro-access-bench-'));
  try {
    const paths = materialize(dir, inputs);
    const rows: { name: string; ms: number; code: number; bytes: number; stderrBytes: number }[] = [];
    for (const input of inputs) {
      const started = performance.now();
      const r = await runMain(['validate', '-f', paths.get(input.name)!]);
      const ms = performance.now() - started;
      rows.push({ name: input.name, ms, code: r.code, bytes: input.bytes.length, stderrBytes: r.stderr.length });
      process.stdout.write(`${ms.toFixed(1).padStart(10)} ms  exit ${r.code}  ${String(input.bytes.length).padStart(8)} B in  ${String(r.stderr.length).padStart(8)} B out  ${input.name}\n`);
    }
    const times = rows.map((r) => r.ms).sort((a, b) => a - b);
    const median = times.length === 0 ? 0 : (times[(times.length - 1) >> 1]! + times[times.length >> 1]!) / 2;
    const over = rows.filter((r) => r.ms > BUDGET_MS);
    process.stdout.write(`\n${rows.length} files; max ${(times.at(-1) ?? 0).toFixed(1)} ms, median ${median.toFixed(1)} ms\n`);
    process.stdout.write(`exit 1 (references are valid offline: exit 0 expected): ${rows.filter((r) => r.code === 1).length}\n`);
    process.stdout.write(over.length === 0
      ? `all within ${BUDGET_MS} ms\n`
      : `over ${BUDGET_MS} ms:\n${over.map((r) => `  ${r.name}: ${r.ms.toFixed(0)} ms`).join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await bench();
