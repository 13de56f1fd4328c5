// Per-user sliding-window rate limit (in process memory: each server process
// counts its own requests).
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Counts a hit; returns 0 when allowed, else the seconds until the next one would be. */
  hit(key: string): number {
    const now = this.now();
    const from = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > from);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return (list[0]! + this.windowMs - now) / 1000;
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((t) => t > from)) this.hits.delete(k);
    return 0;
  }
}

/** Sign-in attempts a minute per client address (GUISHU_LOGIN_RATE). */
export const LOGIN_RATE = 20;

/** Requests a minute per client address on every route, as `guishu start` sets it (GUISHU_ADDRESS_RATE): generous, against floods — an office behind one NAT shares it. */
export const ADDRESS_RATE = 3000;
