import * as client from 'openid-client';
import type { UiConfig } from './config.ts';
import { isLoopbackHost } from './config.ts';

/** The tokens and identity a sign-in or a refresh yields. */
export interface TokenSet {
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  refreshToken?: string;
  /** ID token claims (sign-in only; a refresh may not return an ID token). */
  claims?: Record<string, unknown>;
}

/** The OpenID Connect relying party: authorization code + PKCE with a confidential client. */
export interface OidcClient {
  authorizationUrl(params: { state: string; nonce: string; codeChallenge: string }): Promise<URL>;
  exchangeCode(callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  /** RP-initiated logout URL, or undefined when the provider advertises no end_session_endpoint. */
  endSessionUrl(params: { postLogoutRedirectUri: string; logoutHint?: string }): Promise<URL | undefined>;
}

export function redirectUri(config: Pick<UiConfig, 'publicUrl'>): string {
  return new URL('/auth/callback', config.publicUrl).href;
}

/** Access token lifetime: expires_in from the token response, else the JWT's exp, else five minutes. */
function expiryOf(accessToken: string, expiresIn: number | undefined, now: number): number {
  if (expiresIn !== undefined) return now + expiresIn;
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return payload.exp;
  } catch {
    // not a JWT: fall through
  }
  return now + 300;
}

/** Discovery runs on first use and is retried on the next use after a failure (the pod starts even when the provider is down). */
export function createOidcClient(config: UiConfig): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(config.issuer, config.clientId, { client_secret: config.clientSecret, redirect_uris: [redirectUri(config)] }, client.ClientSecretBasic(config.clientSecret), {
        // Plain-http providers are accepted on loopback only (the test provider); Entra is https.
        execute: config.issuer.protocol === 'http:' && isLoopbackHost(config.issuer.hostname) ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  const toTokenSet = (tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): TokenSet => ({
    accessToken: tokens.access_token,
    expiresAt: expiryOf(tokens.access_token, tokens.expiresIn(), config.now()),
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(tokens.claims() ? { claims: tokens.claims() as Record<string, unknown> } : {}),
  });
  return {
    async authorizationUrl({ state, nonce, codeChallenge }) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri(config),
        scope: config.scopes.join(' '),
        response_type: 'code',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },
    async exchangeCode(callbackUrl, { state, nonce, codeVerifier }) {
      const tokens = await client.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return toTokenSet(tokens);
    },
    async refresh(refreshToken) {
      // Entra asks for the scopes again on refresh (a subset of those granted); so do other providers that accept it.
      return toTokenSet(await client.refreshTokenGrant(await configuration(), refreshToken, { scope: config.scopes.join(' ') }));
    },
    async endSessionUrl({ postLogoutRedirectUri, logoutHint }) {
      const cfg = await configuration();
      if (!cfg.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(cfg, {
        client_id: config.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(logoutHint ? { logout_hint: logoutHint } : {}),
      });
    },
  };
}
