/**
 * Pure decisions of the HubSpot client: how long to wait after a 429 or a 5xx, and when to give up.
 * HubSpot sends `Retry-After` on some 429s and always the `X-HubSpot-RateLimit-*` headers; the 429 body
 * names the policy that was hit (`TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`...).
 */

/** What to do after a 429. */
export type RateLimitDecision = { retry: true; waitMs: number } | { retry: false; reason: string };

/** Reads only what a decision needs from a response. */
export interface RateLimitSignal {
  headers: Headers;
  /** The `policyName` of the 429 body, when there is one. */
  policyName?: string | undefined;
}

/** Waits used when HubSpot says nothing more precise: its rolling window is ten seconds. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;

/** How long a 429 asks us to wait, from `Retry-After` (seconds or HTTP date), else the interval headers. */
export function rateLimitWaitMs(signal: RateLimitSignal, nowMs: number): number | undefined {
  const retryAfter = signal.headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const interval = signal.headers.get('x-hubspot-ratelimit-interval-milliseconds')?.trim();
  if (interval && /^\d+$/.test(interval)) return Number(interval);
  return undefined;
}

/** Retry a 429 only when the wait is known to end within `maxWaitMs` and the daily quota is not the cause. */
export function decideRateLimit(signal: RateLimitSignal, maxWaitMs: number, nowMs: number): RateLimitDecision {
  if (signal.policyName === 'DAILY' || signal.headers.get('x-hubspot-ratelimit-daily-remaining') === '0') {
    return { retry: false, reason: 'the daily API call limit of the HubSpot account is used up' };
  }
  const waitMs = rateLimitWaitMs(signal, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  if (waitMs > maxWaitMs) {
    return { retry: false, reason: `HubSpot asks to wait ${waitMs} ms, more than the allowed ${maxWaitMs} ms` };
  }
  return { retry: true, waitMs };
}

/** Exponential backoff after a 5xx or a network error: base, 2×base, 4×base..., capped at maxWaitMs. */
export function backoffMs(failedAttempts: number, baseMs: number, maxWaitMs: number): number {
  return Math.min(maxWaitMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}
