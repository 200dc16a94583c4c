// Runs the real CLI (bin/astro-access.js) in this process and, at exit, writes what the whole process
// used to $BENCH_USAGE_FILE: CPU time (user, system) and peak resident memory (maxRSS).
// Plain JavaScript like the bin it wraps: it must not add a loader of its own to the measurement.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', (code) => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ code, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssMb: u.maxRSS / 1024 }));
  });
}
await import('../bin/astro-access.js');
