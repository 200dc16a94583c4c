// Spaces requests so a run stays under the organization's rate budget, and slows down for good when the
// server says (with a 429) that the budget is smaller than assumed: other jobs of the organization share it.

const HEADROOM = 0.9; // aim a little under the limit: network jitter can bunch requests up at the server

/** On a 429 the rate is multiplied by this, once per "generation" of requests (see rateLimited). */
export const SLOWDOWN = 0.7;
/** The rate never drops below this share of the configured one, so a burst of injected 429s cannot stall a run. */
export const MIN_SHARE = 1 / 16;

/** Time as the pacer sees it; injectable so tests need not sleep. */
export interface Clock {
  now(): number;
  wait(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * An interval pacer shared by concurrent callers: they pass one at a time, each at least
 * 1000 / (rate * HEADROOM) ms after the previous one actually passed, so any one-second window holds fewer
 * than `rate` requests. Spacing is measured from the real release time, not a precomputed schedule, so a
 * stalled event loop cannot release a backlog as one burst. No burst allowance: a burst trips a limit.
 *
 * Adaptive: `rateLimited` lowers the rate, and it stays lower for the rest of the run (the budget is shared
 * with jobs this process cannot see, so probing back up would only meet more 429s).
 */
export class Pacer {
  private intervalMs: number;
  private readonly maxIntervalMs: number;
  private last = Number.NEGATIVE_INFINITY;
  private tail: Promise<void> = Promise.resolve();
  /** Bumped on each slowdown: a 429 for a request released before it is old news. */
  private generation = 0;

  constructor(
    ratePerSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / (ratePerSecond * HEADROOM);
    this.maxIntervalMs = this.intervalMs / MIN_SHARE;
  }

  /** The rate aimed at now, requests per second (headroom included). */
  get rate(): number {
    return 1000 / this.intervalMs;
  }

  /** Resolves, with a ticket for rateLimited, when the caller may send its request. */
  take(): Promise<number> {
    const turn = this.tail.then(async () => {
      const due = this.last + this.intervalMs - this.clock.now();
      if (due > 0) await this.clock.wait(due);
      this.last = this.clock.now();
      return this.generation;
    });
    this.tail = turn.then(() => undefined);
    return turn;
  }

  /**
   * A request released with `ticket` met a 429. Requests already on the wire were paced at the old rate
   * and may meet 429s too: only the first 429 of a generation slows down, so one burst of answers counts
   * once and the rate falls by SLOWDOWN per round trip at most, not per answer.
   */
  rateLimited(ticket: number): void {
    if (ticket !== this.generation) return;
    this.generation++;
    this.intervalMs = Math.min(this.maxIntervalMs, this.intervalMs / SLOWDOWN);
  }
}

/** One pacer per method class; DELETE and others share the POST budget (the stricter one). */
export class MethodPacers {
  private readonly get: Pacer | undefined;
  private readonly post: Pacer | undefined;

  constructor(limits: { get: number; post: number } | false, clock: Clock = realClock) {
    this.get = limits === false ? undefined : new Pacer(limits.get, clock);
    this.post = limits === false ? undefined : new Pacer(limits.post, clock);
  }

  private of(method: string): Pacer | undefined {
    return method === 'GET' ? this.get : this.post;
  }

  /** Waits for the method's turn; the ticket goes back to rateLimited on a 429. */
  async take(method: string): Promise<number> {
    return (await this.of(method)?.take()) ?? 0;
  }

  rateLimited(method: string, ticket: number): void {
    this.of(method)?.rateLimited(ticket);
  }

  /** The rates aimed at now (lower than configured after 429s); null when pacing is off. */
  rates(): { get: number; post: number } | null {
    return this.get && this.post ? { get: this.get.rate, post: this.post.rate } : null;
  }
}
