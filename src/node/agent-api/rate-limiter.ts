// Token buckets: per connection and per agent, so one noisy client cannot starve the others.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface RateLimits {
  readonly perConnection: { readonly ratePerSecond: number; readonly burst: number };
  readonly perAgent: { readonly ratePerSecond: number; readonly burst: number };
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perConnection: { ratePerSecond: 2_000, burst: 4_000 },
  perAgent: { ratePerSecond: 10_000, burst: 20_000 },
};
