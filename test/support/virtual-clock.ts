import type { Clock } from '../../src/astro/pacer.ts';

/**
 * Time that passes only when someone waits: `wait(ms)` moves the clock to at least ms after the moment it
 * was asked, then resolves on the next turn of the event loop. Shared by the client's pacer (its `clock`)
 * and the emulator's rate limiter (its `now`), a paced run keeps the same ratios of rates and budgets
 * without sleeping, and a loaded machine cannot stretch or bunch the spacing the server sees: requests
 * take no virtual time of their own.
 */
export class VirtualClock implements Clock {
  private t = 0;
  /** Every wait asked for, in ms: what a test can check instead of timing the run. */
  readonly waits: number[] = [];

  now(): number {
    return this.t;
  }

  wait(ms: number): Promise<void> {
    this.waits.push(ms);
    const until = this.t + ms;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.t = Math.max(this.t, until);
        resolve();
      }),
    );
  }
}
