// Spaces requests so a run stays under the API's per-token rate limits and never meets a 429.

const HEADROOM = 0.9; // aim a little under the limit: network jitter can bunch requests up at the server

/**
 * An interval pacer: each caller reserves the next free slot, then waits for it. Slots are at least
 * 1000 / (rate * HEADROOM) ms apart, so any one-second window holds fewer than `rate` requests,
 * however many callers run concurrently. No burst allowance: a burst is exactly what trips a limit.
 */
export class Pacer {
  private readonly intervalMs: number;
  private nextAt = 0;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / (ratePerSecond * HEADROOM);
  }

  /** Milliseconds the caller must wait for its slot; reserves the slot. */
  reserve(): number {
    const t = this.now();
    const slot = Math.max(t, this.nextAt);
    this.nextAt = slot + this.intervalMs;
    return slot - t;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
