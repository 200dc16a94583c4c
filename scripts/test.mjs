// `npm test`: the type check and the tests at once, failing if either fails. tsc spends most of its
// time on one core while the tests wait on sockets and child processes, so together they take about as
// long as the tests alone. tsc's output is held back and printed after the tests' (never interleaved).
// Plain JavaScript, run by node itself: no transpiler start-up in front of the two.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

/** Runs node on a script; resolves with its exit code (1 for a signal death) and, if captured, its output. */
function run(script, args, capture) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

// Arguments after `npm test --` go to vitest (e.g. a file filter).
const [tsc, vitest] = await Promise.all([
  run(tscBin, ['--noEmit', '--pretty', process.stdout.isTTY ? 'true' : 'false'], true),
  run(vitestBin, ['run', ...process.argv.slice(2)], false),
]);
if (tsc.code !== 0) process.stderr.write(`\ntsc --noEmit failed (exit ${tsc.code}):\n${tsc.output}`);
else process.stdout.write('tsc --noEmit: no type errors\n');
process.exitCode = tsc.code !== 0 ? tsc.code : vitest.code;
