import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/astro/pacer.ts';

describe('Pacer', () => {
  it('spreads a burst of concurrent reservations so no one-second window reaches the rate', () => {
    let now = 0;
    const pacer = new Pacer(25, () => now);
    const slots = Array.from({ length: 100 }, () => pacer.reserve()); // all at t=0, as concurrent callers
    for (const start of slots) {
      const inWindow = slots.filter((s) => s >= start && s < start + 1000).length;
      expect(inWindow).toBeLessThan(25);
    }
    expect(slots[0]).toBe(0);
    now = 10_000; // after an idle period the next caller goes at once
    expect(pacer.reserve()).toBe(0);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
  });
});
