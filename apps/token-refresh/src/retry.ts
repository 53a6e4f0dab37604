/**
 * Bounded retries with exponential backoff. The caller says which failures are worth another attempt
 * (and how long the server asked it to wait); this module only counts attempts and waits.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** How many attempts and how long to wait between them. */
export interface RetryPolicy {
  /** Attempts in total, the first one included (>= 1). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /** Upper bound of a server-requested wait (`Retry-After`), so one answer cannot stall the Job. */
  maxRetryAfterMs: number;
}

/** The caller's verdict on one failure. */
export interface RetryDecision {
  retry: boolean;
  /** The server asked to wait this long (from `Retry-After`). */
  retryAfterMs?: number;
  /** Short machine-readable cause for the log, e.g. `status-503`, `timeout`, `conflict`. */
  reason: string;
}

/** Waits; injectable so tests record the delays instead of sleeping. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = async (ms) => {
  await delay(ms);
};

/** Options of one retried operation. */
export interface RetryOptions {
  policy: RetryPolicy;
  classify: (error: unknown) => RetryDecision;
  sleep?: Sleep;
  /** Returns [0, 1); jitter source, injectable for deterministic tests. */
  random?: () => number;
  /** Called before each wait, for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** Default timing: 0.5 s, 1 s, 2 s, 4 s... capped at 8 s; `Retry-After` honoured up to 30 s. */
export const DEFAULT_RETRY_TIMING: Omit<RetryPolicy, 'maxAttempts'> = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/** Backoff before attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half random). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** The wait before the next attempt: the server's `Retry-After` (bounded) when given, else backoff. */
export function nextDelay(attempt: number, decision: RetryDecision, policy: RetryPolicy, random?: () => number): number {
  if (decision.retryAfterMs !== undefined) return Math.min(decision.retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

/**
 * Parses an HTTP `Retry-After` value (delta-seconds or an HTTP-date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/**
 * Runs `operation` until it succeeds, the classifier says stop, or `maxAttempts` is reached.
 * Rethrows the last error unchanged, so callers map it to their own outcome.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, classify, sleep = realSleep, random = Math.random, onRetry } = options;
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || attempt >= maxAttempts) throw error;
      const delayMs = nextDelay(attempt, decision, policy, random);
      onRetry?.({ attempt, delayMs, reason: decision.reason });
      await sleep(delayMs);
    }
  }
}
