/**
 * A loopback stand-in for Microsoft Entra ID: a real OpenID provider (oidc-provider) that carries the issuer of
 * the rendered AgentgatewayPolicy (https://login.microsoftonline.com/<tenant>/v2.0) while being served on
 * 127.0.0.1. Its endpoints point at the loopback address, so clients fetch discovery from
 * `discoveryUrl` (openid-client accepts a /.well-known/ URL and takes the issuer from it).
 *
 * Like Entra v2, access tokens are JWTs whose `aud` is the API's client id; the API is the resource
 * `api://<client id>`. Sign-in is one button for a fixed dev user; consent is implied (first-party apps).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
// The provider's own in-memory storage, named explicitly: a stand-in keeps nothing across restarts on purpose.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';

export interface EntraStandInOptions {
  /** The issuer the rendered policy expects; default: the loopback origin the provider is served at. */
  issuer?: string;
  /** The API's audience (Entra v2: the API app's client id); tokens for the resource `api://<audience>` carry it. */
  audience: string;
  /** The delegated scope of the API, e.g. `api://<id>/mcp.access`. */
  apiScope: string;
  /** Confidential web clients (the UI): id, secret and redirect URIs. */
  webClients: { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris?: string[] }[];
  /** A client for command-line MCP clients (client credentials grant). */
  cliClient?: { clientId: string; clientSecret: string };
  /** Sign the dev user in without showing the sign-in page (for tests that are not about the page). */
  autoSignIn?: boolean;
  port?: number;
}

export interface EntraStandIn {
  issuer: string;
  /** Where the provider is served, e.g. http://127.0.0.1:41000 */
  url: URL;
  discoveryUrl: URL;
  tokenUrl: URL;
  jwksUri: URL;
  /** The provider's public keys, for verifying its tokens. */
  keys: JWTVerifyGetKey;
  /** Access tokens issued so far, and how many refresh-token grants were answered. */
  issuedAccessTokens: string[];
  refreshCount(): number;
  /** The API resource indicator (`api://<audience>`) and its delegated scope. */
  resource: string;
  apiScope: string;
  /** Signs a token with the provider's key (tests make wrong-audience and expired tokens with it). */
  signAccessToken(claims?: Record<string, unknown>, options?: { issuer?: string; audience?: string; expiresIn?: string | number }): Promise<string>;
  close(): Promise<void>;
}

export const DEV_USER = { accountId: 'dev-user', name: 'Ada Lovelace (dev)', email: 'ada@example.test' };

export async function startEntraStandIn(options: EntraStandInOptions): Promise<EntraStandIn> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = signingJwk;
  const resource = `api://${options.audience}`;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const issuer = options.issuer ?? url.origin;

  const provider = new Provider(issuer, configuration(options, signingJwk, resource));
  provider.proxy = true;
  const issuedAccessTokens: string[] = [];
  let refreshes = 0;
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const body = ctx.body as { access_token?: string } | undefined;
    if (body?.access_token) issuedAccessTokens.push(body.access_token);
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === 'refresh_token') refreshes += 1;
  });
  // oidc-provider drops offline_access from an authorization request without prompt=consent; Entra keeps it
  // and issues a refresh token. Behave like Entra: an authorization request counts as prompt=consent, which
  // the interaction below answers without a page.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET' && !ctx.query.prompt) ctx.query = { ...ctx.query, prompt: 'consent' };
    await next();
  });
  const providerHandler = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) void interaction(provider, req, res, options.autoSignIn ?? false);
    else providerHandler(req, res);
  });

  return {
    issuer,
    url,
    discoveryUrl: new URL('/.well-known/openid-configuration', url),
    tokenUrl: new URL('/token', url),
    jwksUri: new URL('/jwks', url),
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    issuedAccessTokens,
    refreshCount: () => refreshes,
    resource,
    apiScope: options.apiScope,
    signAccessToken: (claims = {}, opts = {}) =>
      new SignJWT({ scp: 'mcp.access', name: DEV_USER.name, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid! })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? options.audience)
        .setSubject(DEV_USER.accountId)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '10m')
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function configuration(options: EntraStandInOptions, signingJwk: JWK, resource: string): Configuration {
  const apiScope = options.apiScope;
  const clients = options.webClients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }));
  if (options.cliClient) {
    clients.push({
      client_id: options.cliClient.clientId,
      client_secret: options.cliClient.clientSecret,
      redirect_uris: [],
      post_logout_redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    });
  }
  return {
    adapter: createMemoryAdapter(),
    clients,
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'offline_access', apiScope],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, name: DEV_USER.name, email: DEV_USER.email }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, ClientCredentials: 600, IdToken: 600, RefreshToken: 86400, Interaction: 600, Session: 86400, Grant: 86400 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmitLogout },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: apiScope,
          audience: options.audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  } as Configuration;
}

/** Sign-in page: one button for the dev user (or none, with autoSignIn). Consent is granted without a page. */
async function interaction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, autoSignIn: boolean): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login' && (req.method === 'POST' || autoSignIn)) {
      await provider.interactionFinished(req, res, { login: { accountId: DEV_USER.accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'consent') {
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (local Entra stand-in)</title></head>
<body><main><h1>Local sign-in</h1><p>This is the dev stack's stand-in for Microsoft Entra ID.</p>
<form method="post" action="/interaction/${details.uid}"><button type="submit" id="sign-in">Sign in as ${DEV_USER.name}</button></form></main></body></html>`);
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${(error as Error).message}`);
  }
}

/** RP-initiated logout without a confirmation page: the provider's own form, submitted at once with "yes". */
async function autoSubmitLogout(ctx: { body: string }, form: string): Promise<void> {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  ctx.body = `<!doctype html><html><body>${confirmed}<script>document.forms[0].submit()</script></body></html>`;
}
