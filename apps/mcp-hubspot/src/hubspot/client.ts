/**
 * A small HubSpot HTTP client on `fetch`: bearer token from a {@link TokenSource} per request,
 * bounded retries (429 as the rate-limit headers say, 5xx and network errors with exponential backoff,
 * only for requests that are safe to repeat), and errors that say what to do. Never logs the token.
 */
import type { Logger } from '@mcp-gateway/telemetry';
import type { RetrySettings } from '../config.ts';
import type { CredentialVerdicts } from './credential-health.ts';
import { HubSpotError, TOKEN_REFRESH_HINT, correlationIdOf, hubSpotMessage, missingScopes } from './errors.ts';
import { backoffMs, decideRateLimit } from './retry-policy.ts';
import type { TokenSource } from './token-source.ts';

/** Query values; arrays become comma-separated lists, undefined values are left out. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/** One HubSpot call. */
export interface HubSpotRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Whether repeating the call after a 5xx or a network error is harmless. Default: every method but POST. */
  retrySafe?: boolean;
}

/** Dependencies and settings of {@link createHubSpotClient}. */
export interface HubSpotClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  retry: RetrySettings;
  requestTimeoutMs: number;
  /** Waits between attempts (tests may record the waits). */
  sleep?: (ms: number) => Promise<void>;
  /** The app's log; fields never hold the token. */
  log?: Logger;
  /** Told, after each call HubSpot answered, whether it refused the token. */
  credential?: CredentialVerdicts;
  fetch?: typeof fetch;
}

/** Sends HubSpot calls; resolves with the parsed JSON body (undefined for an empty body). */
export interface HubSpotClient {
  request<T>(req: HubSpotRequest): Promise<T>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the full URL of a call. */
export function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> = {}): string {
  const url = new URL(baseUrl + path);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return url.href;
}

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const sleep = options.sleep ?? defaultSleep;
  const log = options.log;
  const credential = options.credential;
  const doFetch = options.fetch ?? fetch;
  const { maxAttempts, maxWaitMs, baseBackoffMs } = options.retry;

  async function request<T>(req: HubSpotRequest): Promise<T> {
    const url = buildUrl(options.baseUrl, req.path, req.query);
    const retrySafe = req.retrySafe ?? req.method !== 'POST';
    const what = `${req.method} ${req.path}`;
    let tokenRetried = false;

    for (let attempt = 1; ; attempt++) {
      const token = await options.tokens.current();
      if (!token) {
        throw new HubSpotError('no_token', `No HubSpot access token is available; it is read from ${options.tokens.describe()}. ${TOKEN_REFRESH_HINT}`);
      }

      let response: Response;
      try {
        response = await doFetch(url, {
          method: req.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${options.requestTimeoutMs} ms` : 'the connection failed';
        if (retrySafe && attempt < maxAttempts) {
          const wait = backoffMs(attempt, baseBackoffMs, maxWaitMs);
          log?.warn({ request: what, attempt, reason, waitMs: wait }, 'hubspot request failed, retrying');
          await sleep(wait);
          continue;
        }
        throw new HubSpotError(
          'network_error',
          `HubSpot could not be reached for ${what}: ${reason}` +
            (retrySafe ? ` (${attempt} attempt${attempt > 1 ? 's' : ''}).` : '. The change may or may not have been applied; check before repeating it.'),
        );
      }

      const body = await readBody(response);
      if (response.status !== 401) credential?.accepted();
      if (response.ok) return body as T;

      const status = response.status;
      const detail = hubSpotMessage(body);
      const correlationId = correlationIdOf(body);
      const suffix = detail ? ` HubSpot says: ${detail}` : '';

      if (status === 401) {
        // The refresher may have swapped the token while this request was in flight: try the new one once.
        const latest = await options.tokens.current();
        if (!tokenRetried && latest && latest !== token) {
          tokenRetried = true;
          log?.info({ request: what }, 'hubspot rejected the token, a newer one is available; retrying');
          continue;
        }
        credential?.refused();
        const expiry = await options.tokens.expiresAt();
        const expiryNote = expiry ? ` The token file says the token expires at ${expiry}.` : '';
        throw new HubSpotError('unauthorized', `HubSpot rejected the access token (401): it has expired or was revoked.${expiryNote} ${TOKEN_REFRESH_HINT}`, status, correlationId);
      }
      if (status === 429) {
        const policyName = typeof (body as { policyName?: unknown } | undefined)?.policyName === 'string' ? (body as { policyName: string }).policyName : undefined;
        const decision = decideRateLimit({ headers: response.headers, policyName }, maxWaitMs, Date.now());
        if (decision.retry && attempt < maxAttempts) {
          log?.warn({ request: what, attempt, waitMs: decision.waitMs, policyName }, 'hubspot rate limit hit, waiting');
          await sleep(decision.waitMs);
          continue;
        }
        const reason = decision.retry ? `still limited after ${attempt} attempts` : decision.reason;
        throw new HubSpotError('rate_limited', `HubSpot's rate limit was hit (429): ${reason}. Try again later.${suffix}`, status, correlationId);
      }
      if (status >= 500) {
        if (retrySafe && attempt < maxAttempts) {
          const wait = backoffMs(attempt, baseBackoffMs, maxWaitMs);
          log?.warn({ request: what, attempt, status, waitMs: wait }, 'hubspot server error, retrying');
          await sleep(wait);
          continue;
        }
        throw new HubSpotError(
          'server_error',
          retrySafe
            ? `HubSpot failed with ${status} on ${what}, ${attempt} attempt${attempt > 1 ? 's' : ''}; giving up. Try again later.${suffix}`
            : `HubSpot failed with ${status} on ${what}. The change may or may not have been applied; check before repeating it.${suffix}`,
          status,
          correlationId,
        );
      }
      if (status === 403) {
        const scopes = missingScopes(body);
        const needed = scopes.length ? ` Scopes required: ${scopes.join(', ')}.` : '';
        throw new HubSpotError('forbidden', `HubSpot refused ${what} (403): the token lacks a scope or the user lacks a permission.${needed}${suffix}`, status, correlationId);
      }
      if (status === 404) {
        throw new HubSpotError('not_found', `HubSpot found nothing at ${what} (404).${suffix}`, status, correlationId);
      }
      if (status === 409) {
        throw new HubSpotError('conflict', `HubSpot reported a conflict (409).${suffix}`, status, correlationId);
      }
      throw new HubSpotError('invalid_request', `HubSpot rejected the request (${status}).${suffix}`, status, correlationId);
    }
  }

  return { request };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
}
