import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './processes.ts';

// npm run bench:startup [-- --runs 30] [--write]
// Start-up of the installed command (`astro-access --version`, the compiled CLI) against a bare
// `node -e 0`: runs both alternately, takes the median wall time of each, prints the ratio. With
// --write, replaces the "Start-up" section of bench/RESULTS.md (the rest of that file is the main
// benchmark's; this section is kept separate so either can be regenerated alone).

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, write: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const BIN = join(ROOT, 'bin/astro-access.js');
if (!existsSync(join(ROOT, 'lib/cli.js'))) throw new Error('lib/cli.js is missing: run `npm run build` first');

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${String(r.status)}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const loadBefore = loadavg()[0]!;
const bare: number[] = [];
const cli: number[] = [];
const viaTsx: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(wallMs(['-e', '0']));
  cli.push(wallMs([BIN, '--version']));
  // For comparison: the sources through tsx's loader, as the bin ran before it was compiled.
  viaTsx.push(wallMs(['--import', 'tsx', join(ROOT, 'src/cli.ts'), '--version']));
}
const ratio = median(cli) / median(bare);
const section = [
  '## Start-up',
  '',
  `Measured by \`npm run bench:startup\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}: ${runs} runs of each, alternating; median wall time.`,
  `Node ${process.version}; load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)} (other work on the machine adds to both).`,
  '',
  '| command | median wall time |',
  '|---|---:|',
  `| \`node -e 0\` | ${median(bare).toFixed(0)} ms |`,
  `| \`astro-access --version\` (compiled bin) | ${median(cli).toFixed(0)} ms |`,
  `| **ratio to bare node** (target ≤ 4) | **${ratio.toFixed(2)}** |`,
  `| for comparison: the TypeScript sources through tsx | ${median(viaTsx).toFixed(0)} ms (${(median(viaTsx) / median(bare)).toFixed(2)}×) |`,
  '',
].join('\n');
process.stdout.write(section);

if (values.write) {
  const file = join(ROOT, 'bench/RESULTS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  // The section runs from its heading to the next "## " heading or the end.
  const re = /^## Start-up\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  const next = re.test(text) ? text.replace(re, `${section}\n`) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, next);
}
