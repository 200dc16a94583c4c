// Spaces requests so a run stays under the API's per-token rate limits and never meets a 429.

const HEADROOM = 0.9; // aim a little under the limit: network jitter can bunch requests up at the server

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An interval pacer shared by concurrent callers: they pass one at a time, each at least
 * 1000 / (rate * HEADROOM) ms after the previous one actually passed, so any one-second window holds fewer
 * than `rate` requests. Spacing is measured from the real release time, not a precomputed schedule, so a
 * stalled event loop cannot release a backlog as one burst. No burst allowance: a burst trips a limit.
 */
export class Pacer {
  private readonly intervalMs: number;
  private last = Number.NEGATIVE_INFINITY;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / (ratePerSecond * HEADROOM);
  }

  /** Resolves when the caller may send its request. */
  take(): Promise<void> {
    const turn = this.tail.then(async () => {
      const due = this.last + this.intervalMs - this.now();
      if (due > 0) await this.wait(due);
      this.last = this.now();
    });
    this.tail = turn;
    return turn;
  }
}

/** One pacer per method class; DELETE and others share the POST budget (the stricter one). */
export class MethodPacers {
  private readonly get: Pacer | undefined;
  private readonly post: Pacer | undefined;

  constructor(limits: { get: number; post: number } | false) {
    this.get = limits === false ? undefined : new Pacer(limits.get);
    this.post = limits === false ? undefined : new Pacer(limits.post);
  }

  async take(method: string): Promise<void> {
    await (method === 'GET' ? this.get : this.post)?.take();
  }
}
