/**
 * One refresh-token grant against the provider's token endpoint: a POST with a per-request timeout,
 * retried on network errors, timeouts, 408/429/5xx (honouring Retry-After), never on a refused grant.
 */
import type { Logger } from '@mcp-gateway/telemetry';
import type { Credentials } from './config.ts';
import { EXIT_CODES, interrupted, RefreshError } from './errors.ts';
import type { OAuthProvider, TokenSet } from './providers/types.ts';
import { DEFAULT_RETRY_TIMING, realSleep, type RetryDecision, type RetryPolicy, type Sleep, withRetry } from './retry.ts';

/** A failure worth another attempt. */
class TransientTokenError extends Error {
  readonly decision: RetryDecision;
  constructor(decision: RetryDecision) {
    super(`token endpoint: ${decision.reason}`);
    this.decision = decision;
  }
}

/** Where and how hard to try. */
export interface TokenCallOptions {
  url: string;
  timeoutMs: number;
  policy: RetryPolicy;
}

/** Side effects, injectable for tests. */
export interface TokenCallDeps {
  log: Logger;
  sleep?: Sleep;
  random?: () => number;
  now?: () => Date;
  /** Aborted on SIGTERM: no further attempt starts (an attempt in flight is awaited: its answer may hold tokens). */
  stop?: AbortSignal;
}

/**
 * Why an answer that may have carried tokens is not retried, and what to do. With a provider that rotates refresh
 * tokens, the answer held the only valid one; sending the old one again is refused, or taken as token theft and
 * revokes the grant.
 */
const LOST_ANSWER_ADVICE =
  'it may have held a new refresh token, so the grant is not retried with the old one (a provider that rotates refresh tokens refuses it, or revokes the grant, on reuse). ' +
  'Nothing was written. The next scheduled run tries the mounted refresh token again; if that run ends with exit 3 (invalid_grant), re-authorise the app and put its new refresh token into the credentials Secret';

/** Waits like `sleep`, but returns early once `stop` is aborted. */
function stoppableSleep(sleep: Sleep, stop: AbortSignal | undefined): Sleep {
  if (!stop) return sleep;
  return (ms) => Promise.race([sleep(ms), new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })))]);
}

/** Describes a fetch failure without its message details (which can quote URLs); never the body. */
function networkReason(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `network-${cause.code}` : 'network-error';
}

/** Retry timing for the token endpoint with `maxAttempts` from the configuration. */
export function tokenRetryPolicy(maxAttempts: number): RetryPolicy {
  return { ...DEFAULT_RETRY_TIMING, maxAttempts };
}

/**
 * Exchanges the refresh token for a new token set. Throws RefreshError: exit 3 when the grant or
 * client is refused, exit 4 when the endpoint stays unavailable or answers something unusable.
 */
export async function requestTokens(
  provider: OAuthProvider,
  credentials: Credentials,
  options: TokenCallOptions,
  deps: TokenCallDeps,
): Promise<TokenSet> {
  const { log, now = () => new Date() } = deps;
  const request = provider.refreshRequest(credentials);
  const endpoint = new URL(options.url);
  const target = `${endpoint.origin}${endpoint.pathname}`;

  const attempt = async (attemptNumber: number): Promise<TokenSet> => {
    if (attemptNumber > 1 && deps.stop?.aborted) throw interrupted(`before attempt ${attemptNumber} at the token endpoint: nothing changed; the next scheduled run refreshes`);
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const reason = networkReason(error);
      log.warn({ attempt: attemptNumber, reason, durationMs: Math.round(performance.now() - started) }, 'token.request_failed');
      throw new TransientTokenError({ retry: true, reason });
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      const reason = networkReason(error);
      log.warn({ attempt: attemptNumber, status: response.status, reason, durationMs: Math.round(performance.now() - started) }, 'token.body_unreadable');
      // Only a success can have carried tokens; an error answer cut short is safe to ask again.
      if (!response.ok) throw new TransientTokenError({ retry: true, reason: `status-${response.status}-${reason}` });
      throw new RefreshError(
        EXIT_CODES.providerUnavailable,
        'token-response-unreadable',
        `${provider.displayName} token endpoint ${target} answered ${response.status} but its body could not be read (${reason}): ${LOST_ANSWER_ADVICE}`,
      );
    }
    log.info({ attempt: attemptNumber, status: response.status, durationMs: Math.round(performance.now() - started) }, 'token.response');
    const outcome = provider.interpret({ status: response.status, headers: response.headers, body }, now());
    switch (outcome.kind) {
      case 'tokens':
        return outcome.tokens;
      case 'retryable':
        throw new TransientTokenError({ retry: true, reason: outcome.reason, ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }) });
      case 'rejected':
        throw new RefreshError(
          EXIT_CODES.invalidGrant,
          outcome.error,
          `${provider.displayName} refused the refresh (${outcome.error}${outcome.description ? `: ${outcome.description}` : ''}); ${outcome.hint}`,
        );
      case 'failed':
        if (response.ok) {
          throw new RefreshError(EXIT_CODES.providerUnavailable, 'token-response-unreadable', `${provider.displayName} token endpoint ${target}: ${outcome.reason}; ${LOST_ANSWER_ADVICE}`);
        }
        throw new RefreshError(EXIT_CODES.providerUnavailable, 'provider-failed', `${provider.displayName} token endpoint ${target}: ${outcome.reason}`);
    }
  };

  try {
    return await withRetry(attempt, {
      policy: options.policy,
      classify: (error) => (error instanceof TransientTokenError ? error.decision : { retry: false, reason: 'final' }),
      sleep: stoppableSleep(deps.sleep ?? realSleep, deps.stop),
      ...(deps.random ? { random: deps.random } : {}),
      onRetry: ({ attempt: n, delayMs, reason }) => log.warn({ attempt: n, delayMs, reason }, 'token.retry'),
    });
  } catch (error) {
    if (error instanceof TransientTokenError) {
      throw new RefreshError(
        EXIT_CODES.providerUnavailable,
        'provider-unavailable',
        `${provider.displayName} token endpoint ${target} unavailable after ${options.policy.maxAttempts} attempts (last: ${error.decision.reason})`,
      );
    }
    throw error;
  }
}
