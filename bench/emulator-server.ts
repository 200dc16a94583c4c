import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DOCUMENTED_RATE_LIMITS, startEmulator } from '../src/emulator/index.ts';
import { summarize } from './request-counts.ts';

// The emulator in its own process, so it never shares an event loop or a CPU budget with the CLI under
// measurement. A small control endpoint (loopback, separate port) lets the driver mark the start of a
// phase and read that phase's request counts and the emulator's own CPU and event-loop busy time.
//
//   node --import tsx bench/emulator-server.ts --state FILE [--latency MS] [--rate-limits [--post-limit N]] [--retry-after]
// prints one JSON line {"api": URL, "control": URL} on stdout once listening.

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    latency: { type: 'string', default: '0' },
    'rate-limits': { type: 'boolean', default: false },
    'retry-after': { type: 'boolean', default: false },
    // A lower POST limit than documented: the budget other jobs of the organization left over.
    'post-limit': { type: 'string' },
  },
});
if (values.state === undefined) throw new Error('--state FILE is required');

const emulator = await startEmulator({
  state: values.state,
  latencyMs: Number(values.latency),
  rateLimits: values['rate-limits']
    ? { ...DOCUMENTED_RATE_LIMITS, ...(values['post-limit'] !== undefined ? { post: Number(values['post-limit']) } : {}) }
    : false,
  // The API documents no Retry-After: by default answer 429s without one, as the real API is assumed to.
  retryAfter: values['retry-after'],
});

let mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), at: performance.now() };

/** The phase since the last mark: requests by kind, 429s, and what serving them cost this process. */
function phase(): object {
  const cpu = process.cpuUsage(mark.cpu);
  const elu = performance.eventLoopUtilization(mark.elu);
  return {
    requests: summarize(emulator.log),
    cpuMs: (cpu.user + cpu.system) / 1000,
    busyMs: elu.active,
    wallMs: performance.now() - mark.at,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

const control = createServer((req, res) => {
  const reply = (body: object): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (req.method === 'POST' && req.url === '/mark') {
    emulator.log.length = 0;
    mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), at: performance.now() };
    reply({ ok: true });
  } else if (req.method === 'GET' && req.url === '/phase') {
    reply(phase());
  } else if (req.method === 'POST' && req.url === '/close') {
    reply({ ok: true });
    void shutdown();
  } else {
    res.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

async function shutdown(): Promise<void> {
  control.close();
  await emulator.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

const port = (control.address() as AddressInfo).port;
process.stdout.write(JSON.stringify({ api: emulator.url, control: `http://127.0.0.1:${port}` }) + '\n');
