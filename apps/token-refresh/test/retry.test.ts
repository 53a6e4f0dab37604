/** Bounded retries: attempt counting, backoff bounds, Retry-After handling (recorded, never slept). */
import { describe, expect, it } from 'vitest';
import { backoffDelay, nextDelay, parseRetryAfter, type RetryPolicy, withRetry } from '../src/retry.ts';
import { recordingSleep } from './helpers.ts';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

describe('withRetry', () => {
  it('stops at maxAttempts and rethrows the last error', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error(`failure ${calls}`);
      },
      { policy, classify: () => ({ retry: true, reason: 'x' }), sleep, random: () => 1 },
    );
    await expect(failing).rejects.toThrow('failure 4');
    expect(calls).toBe(4);
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('stops at once when the classifier says so', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('final');
        },
        { policy, classify: () => ({ retry: false, reason: 'no' }), sleep },
      ),
    ).rejects.toThrow('final');
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it('returns the first success', async () => {
    const { sleep } = recordingSleep();
    let calls = 0;
    const value = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new Error('not yet');
        return 'ok';
      },
      { policy, classify: () => ({ retry: true, reason: 'x' }), sleep },
    );
    expect([value, calls]).toEqual(['ok', 3]);
  });
});

describe('delays', () => {
  it('doubles, stays within [half, full] of the step, and is capped', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('honours Retry-After up to its bound', () => {
    expect(nextDelay(1, { retry: true, reason: 'x', retryAfterMs: 2000 }, policy)).toBe(2000);
    expect(nextDelay(1, { retry: true, reason: 'x', retryAfterMs: 3_600_000 }, policy)).toBe(30_000);
  });

  it('parses Retry-After', () => {
    const now = new Date('2026-11-24T01:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 01:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
