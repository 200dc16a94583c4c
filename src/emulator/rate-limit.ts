// Per-token rate limits as token buckets: each bearer token may burst up to the per-second limit of a
// method class, refilled continuously. Documented limits: GET 25/s, POST 10/s, DELETE 5/s.

export interface RateLimits {
  get: number;
  post: number;
  delete?: number;
}

export const DOCUMENTED_RATE_LIMITS: Required<RateLimits> = { get: 25, post: 10, delete: 5 };

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one request from the caller's bucket; returns 0 if allowed, else the seconds until it would be. */
  take(caller: string, method: string): number {
    const cls = method === 'POST' ? 'post' : method === 'DELETE' ? 'delete' : 'get';
    const rate = cls === 'delete' ? (this.limits.delete ?? DOCUMENTED_RATE_LIMITS.delete) : this.limits[cls];
    if (!(rate > 0)) return 0;
    const key = `${cls}\u0000${caller}`;
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: rate, at: t };
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / rate;
  }
}
