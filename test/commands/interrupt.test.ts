import { afterEach, describe, expect, it } from 'vitest';
import { defaultReceiptPath, trapInterrupts, type Interrupt } from '../../src/commands/interrupt.ts';

// The signal handling of apply, in-process: process.emit calls the handlers without a real signal.

let trap: Interrupt | undefined;
afterEach(() => trap?.uninstall());

describe('trapInterrupts', () => {
  it('the first signal aborts `stop` and reports it; the wait for writes in flight is bounded', async () => {
    const seen: string[] = [];
    trap = trapInterrupts((s) => seen.push(s), 20);
    expect(trap.stop.aborted).toBe(false);
    process.emit('SIGTERM', 'SIGTERM'); // as Node calls it for a real signal
    expect(trap.stop.aborted).toBe(true);
    expect(seen).toEqual(['SIGTERM']);
    expect(await trap.forced).toBe('forced'); // the grace period ran out
  });

  it('a second signal forces at once, without waiting for the grace period', async () => {
    trap = trapInterrupts(() => undefined, 3_600_000);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(await trap.forced).toBe('forced');
  });

  it('uninstall removes its handlers', () => {
    const before = process.listenerCount('SIGINT');
    const t = trapInterrupts(() => undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    t.uninstall();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

it('the default receipt path is under .astro-access/receipts/, one file per run, safe on every file system', () => {
  expect(defaultReceiptPath(new Date('2026-11-29T04:05:06.789Z'))).toBe('.astro-access/receipts/apply-2026-11-29T04-05-06-789Z.json');
});
