/** The local rate limit's bucket (v1.4.1 `http/localratelimit.rs`): full at start, refilled in whole intervals. */
import type { LocalRateLimit } from './manifests.ts';

/** A bucket of `capacity` tokens, refilled with `refill` tokens at the end of every interval, never above capacity. */
export class TokenBucket {
  private readonly limit: LocalRateLimit;
  private available: number;
  private refillAt: number;

  constructor(limit: LocalRateLimit, now: number) {
    this.limit = limit;
    this.available = limit.capacity;
    this.refillAt = now + limit.intervalMs;
  }

  /** Takes one token, or says what the 429 carries: the capacity, what is left, whole seconds to the next refill. */
  take(now: number): { ok: true } | { ok: false; limit: number; remaining: number; resetSeconds: number } {
    if (now >= this.refillAt) {
      const intervals = Math.floor((now - this.refillAt) / this.limit.intervalMs) + 1;
      this.refillAt += intervals * this.limit.intervalMs;
      this.available = Math.min(this.limit.capacity, this.available + intervals * this.limit.refill);
    }
    if (this.available >= 1) {
      this.available -= 1;
      return { ok: true };
    }
    return { ok: false, limit: this.limit.capacity, remaining: this.available, resetSeconds: Math.floor((this.refillAt - now) / 1000) };
  }
}
