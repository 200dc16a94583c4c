import { describe, expect, it } from 'vitest';
import { MethodPacers, MIN_SHARE, Pacer, SLOWDOWN } from '../../src/astro/pacer.ts';

// A fake clock: waiting advances it, and the test can jump it (an event-loop stall).
function fakeClock() {
  const clock = { t: 0 };
  const now = (): number => clock.t;
  const wait = async (ms: number): Promise<void> => {
    clock.t += ms;
  };
  return { clock, now, wait, fake: { now, wait } };
}

function maxInAnySecond(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((s) => s >= start && s < start + 1000).length));
}

describe('Pacer', () => {
  it('releases a burst of concurrent callers so no one-second window reaches the rate', async () => {
    const { now, wait } = fakeClock();
    const pacer = new Pacer(25, { now, wait });
    const released: number[] = [];
    await Promise.all(Array.from({ length: 100 }, () => pacer.take().then(() => released.push(now()))));
    expect(released).toHaveLength(100);
    expect(released[0]).toBe(0);
    expect(maxInAnySecond(released)).toBeLessThan(25);
  });

  it('keeps spacing after a stall instead of releasing the backlog at once', async () => {
    const { clock, now, wait } = fakeClock();
    const pacer = new Pacer(10, { now, wait });
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
    const pacer = new Pacer(10, { now, wait });
    await pacer.take();
    clock.t = 60_000;
    await pacer.take();
    expect(now()).toBe(60_000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
  });
});

describe('Pacer, adaptive', () => {
  it('slows down on a 429 and stays slower for the rest of the run', async () => {
    const { now, fake } = fakeClock();
    const pacer = new Pacer(10, fake);
    const before = pacer.rate;
    const ticket = await pacer.take();
    pacer.rateLimited(ticket);
    expect(pacer.rate).toBeCloseTo(before * SLOWDOWN);
    // Long after, with no more 429s, the rate is still the lowered one.
    const released: number[] = [];
    for (let i = 0; i < 50; i++) released.push((await pacer.take(), now()));
    expect(pacer.rate).toBeCloseTo(before * SLOWDOWN);
    expect(maxInAnySecond(released)).toBeLessThanOrEqual(Math.ceil(before * SLOWDOWN));
  });

  it('counts a burst of 429s for requests sent at the old rate once', async () => {
    const { fake } = fakeClock();
    const pacer = new Pacer(10, fake);
    const before = pacer.rate;
    const tickets = await Promise.all(Array.from({ length: 8 }, () => pacer.take()));
    for (const t of tickets) pacer.rateLimited(t);
    expect(pacer.rate).toBeCloseTo(before * SLOWDOWN);
    // A 429 for a request released after the slowdown counts again.
    pacer.rateLimited(await pacer.take());
    expect(pacer.rate).toBeCloseTo(before * SLOWDOWN * SLOWDOWN);
  });

  it('never drops below its floor, whatever the number of 429s', async () => {
    const { fake } = fakeClock();
    const pacer = new Pacer(10, fake);
    const before = pacer.rate;
    for (let i = 0; i < 100; i++) pacer.rateLimited(await pacer.take());
    expect(pacer.rate).toBeCloseTo(before * MIN_SHARE);
  });

  it('GET and POST slow down independently', async () => {
    const { fake } = fakeClock();
    const pacers = new MethodPacers({ get: 20, post: 10 }, fake);
    const start = pacers.rates();
    pacers.rateLimited('POST', await pacers.take('POST'));
    expect(pacers.rates()?.get).toBeCloseTo(start?.get ?? 0);
    expect(pacers.rates()?.post).toBeCloseTo((start?.post ?? 0) * SLOWDOWN);
    expect(new MethodPacers(false).rates()).toBeNull();
  });
});
