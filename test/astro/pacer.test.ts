import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/astro/pacer.ts';

// A fake clock: waiting advances it, and the test can jump it (an event-loop stall).
function fakeClock() {
  const clock = { t: 0 };
  return {
    clock,
    now: () => clock.t,
    wait: async (ms: number) => {
      clock.t += ms;
    },
  };
}

function maxInAnySecond(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((s) => s >= start && s < start + 1000).length));
}

describe('Pacer', () => {
  it('releases a burst of concurrent callers so no one-second window reaches the rate', async () => {
    const { now, wait } = fakeClock();
    const pacer = new Pacer(25, now, wait);
    const released: number[] = [];
    await Promise.all(Array.from({ length: 100 }, () => pacer.take().then(() => released.push(now()))));
    expect(released).toHaveLength(100);
    expect(released[0]).toBe(0);
    expect(maxInAnySecond(released)).toBeLessThan(25);
  });

  it('keeps spacing after a stall instead of releasing the backlog at once', async () => {
    const { clock, now, wait } = fakeClock();
    const pacer = new Pacer(10, now, wait);
    const released: number[] = [];
    const first = pacer.take().then(() => released.push(now()));
    const rest = Array.from({ length: 30 }, () => pacer.take().then(() => released.push(now())));
    await first;
    clock.t += 5000; // the process was busy for five seconds
    await Promise.all(rest);
    expect(maxInAnySecond(released)).toBeLessThan(10);
  });

  it('lets a caller through at once after an idle period', async () => {
    const { clock, now, wait } = fakeClock();
    const pacer = new Pacer(10, now, wait);
    await pacer.take();
    clock.t = 60_000;
    await pacer.take();
    expect(now()).toBe(60_000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
  });
});
