/**
 * RFC 6749 building blocks shared by providers: the form-encoded refresh-token grant (§6) and the
 * reading of the token endpoint's answer (§5.1 success, §5.2 errors).
 */
import type { Credentials } from '../config.ts';
import { parseRetryAfter } from '../retry.ts';
import type { TokenOutcome, TokenRequest, TokenResponse, TokenSet } from './types.ts';

/** A refresh-token grant with the client authenticated in the body (`client_secret_post`). */
export function formRefreshRequest(credentials: Credentials): TokenRequest {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    refresh_token: credentials.refreshToken,
  });
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
    body: body.toString(),
  };
}

/** Visible ASCII only: a token with spaces or control characters would corrupt a header or a file. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function asSeconds(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

/** Validates a success body; returns the reason it is unusable instead of a partial token set. */
export function readTokenSet(body: Record<string, unknown>): TokenSet | string {
  // The wire format is RFC 6749 snake_case; HubSpot's reference pages show the generated SDK models in
  // camelCase. Accept both spellings so a documentation-shaped answer is not mistaken for a broken one.
  const accessToken = body.access_token ?? body.accessToken;
  const expiresIn = body.expires_in ?? body.expiresIn;
  const refreshToken = body.refresh_token ?? body.refreshToken;
  if (typeof accessToken !== 'string' || accessToken === '') return 'access_token missing or empty';
  if (!TOKEN_CHARACTERS.test(accessToken)) return 'access_token has characters outside visible ASCII';
  const expiresInSeconds = asSeconds(expiresIn);
  if (expiresInSeconds === undefined) return 'expires_in missing or not a positive number';
  if (refreshToken === undefined || refreshToken === null) return { accessToken, expiresInSeconds };
  if (typeof refreshToken !== 'string' || refreshToken === '') return 'refresh_token present but empty or not a string';
  if (!TOKEN_CHARACTERS.test(refreshToken)) return 'refresh_token has characters outside visible ASCII';
  return { accessToken, expiresInSeconds, refreshToken };
}

/** Error codes (RFC 6749 §5.2) that mean a person must fix the grant or the client. */
const REJECTED_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/** Options a provider passes to `interpretStandard`. */
export interface InterpretOptions {
  /** What to tell the operator when the grant is refused. */
  reauthorizeHint: string;
  /** Maps a provider-specific error body to an RFC 6749 error code, when the provider has one. */
  legacyError?: (body: Record<string, unknown>) => string | undefined;
}

/** Reads a token endpoint answer the RFC 6749 way. */
export function interpretStandard(response: TokenResponse, now: Date, options: InterpretOptions): TokenOutcome {
  const { status } = response;
  const body = parseJson(response.body);
  if (status === 200) {
    if (body === undefined) return { kind: 'failed', reason: 'status 200 without a JSON object body' };
    const tokens = readTokenSet(body);
    return typeof tokens === 'string' ? { kind: 'failed', reason: `unusable token response: ${tokens}` } : { kind: 'tokens', tokens };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retryable', reason: `status-${status}`, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now) };
  }
  const rfcError = typeof body?.error === 'string' ? body.error : undefined;
  const error = rfcError !== undefined && REJECTED_ERRORS.has(rfcError) ? rfcError : ((body && options.legacyError?.(body)) ?? rfcError);
  const description = typeof body?.error_description === 'string' ? body.error_description : typeof body?.message === 'string' ? body.message : undefined;
  if (error !== undefined && REJECTED_ERRORS.has(error)) {
    const hint = error === 'invalid_grant' ? options.reauthorizeHint : 'check client-id and client-secret in the credentials Secret';
    return { kind: 'rejected', error, description, hint };
  }
  return { kind: 'failed', reason: `status ${status}${error ? ` (${error})` : ''}` };
}
