/**
 * What an OAuth provider module supplies: where its token endpoint is, how a refresh-token grant is
 * sent, and how its answers read. The HTTP call, retries and Secret writes are shared (src/token.ts,
 * src/refresh.ts), so adding a provider is one file plus one line in src/providers/index.ts.
 */
import type { Credentials } from '../config.ts';

/** A validated token endpoint answer. */
export interface TokenSet {
  /** Non-empty, printable. */
  accessToken: string;
  /** Seconds from now, > 0. */
  expiresInSeconds: number;
  /** Present when the provider returned one (maybe the same as the current one). */
  refreshToken?: string;
}

/** The request body and headers of a refresh-token grant (always a POST to the token URL). */
export interface TokenRequest {
  headers: Record<string, string>;
  body: string;
}

/** The raw answer of the token endpoint. */
export interface TokenResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** How the program should treat an answer. */
export type TokenOutcome =
  | { kind: 'tokens'; tokens: TokenSet }
  /** The grant or the client was refused: retrying cannot help, a person must re-authorise (exit 3). */
  | { kind: 'rejected'; error: string; description: string | undefined; hint: string }
  /** Try again later (5xx, 429, 408); `retryAfterMs` from `Retry-After`. */
  | { kind: 'retryable'; reason: string; retryAfterMs: number | undefined }
  /** An answer that will not get better by retrying (other 4xx, malformed 200). */
  | { kind: 'failed'; reason: string };

/** One OAuth 2.0 provider. */
export interface OAuthProvider {
  /** Value of TOKEN_PROVIDER. */
  readonly name: string;
  /** Human name for messages. */
  readonly displayName: string;
  /** Used when TOKEN_URL is not set. */
  readonly defaultTokenUrl: string;
  refreshRequest(credentials: Credentials): TokenRequest;
  interpret(response: TokenResponse, now: Date): TokenOutcome;
}
