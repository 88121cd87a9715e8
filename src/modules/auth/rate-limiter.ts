// Sliding-window limiter for login attempts, per IP and per account. In-process: with several app
// processes each enforces its own window; the account lockout (in the database) is the shared backstop.
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; returns the milliseconds to wait if the key is over its limit, else 0. */
  hit(key: string): number {
    const t = this.now();
    const list = (this.hits.get(key) ?? []).filter((x) => x > t - this.windowMs);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return (list[0] as number) + this.windowMs - t;
    }
    list.push(t);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.prune(t);
    return 0;
  }

  private prune(t: number) {
    for (const [k, list] of this.hits) if (!list.some((x) => x > t - this.windowMs)) this.hits.delete(k);
  }
}
