/**
 * Stands in for Microsoft Entra ID in the tests: a real OpenID provider (oidc-provider) on loopback with
 * discovery, JWKS, authorization code + PKCE (required), refresh tokens (offline_access), RP-initiated logout,
 * and, like Entra v2, JWT access tokens for the API resource whose `aud` is the API's id and whose `scp`
 * carries the delegated scope. The sign-in interaction logs a fixed test user in at once (no form).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const TEST_USER = { accountId: 'user-1', name: 'Grace Hopper', email: 'grace@example.test' };

export interface TestProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The API's audience (Entra v2: the API app's client id). */
  audience: string;
  /** The API's delegated scope, Entra style: api://<id>/mcp.access. */
  apiScope: string;
}

export interface TestProvider {
  /** The issuer identifier, as tokens carry it (no trailing slash). */
  issuer: string;
  jwksUri: URL;
  /** Access tokens issued so far (for checking what the gateway received). */
  issuedAccessTokens: string[];
  /** Number of refresh_token grants answered. */
  refreshCount(): number;
  close(): Promise<void>;
}

export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: randomBytes(6).toString('hex'), alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const resource = options.apiScope.slice(0, options.apiScope.lastIndexOf('/'));

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'offline_access', options.apiScope],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: TEST_USER.name, email: TEST_USER.email }),
    }),
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, IdToken: 600, RefreshToken: 86_400, Interaction: 600, Session: 86_400, Grant: 86_400 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmitLogout },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: options.apiScope,
          audience: options.audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  } as Configuration;

  const provider = new Provider(issuer.origin, configuration);
  const issuedAccessTokens: string[] = [];
  let refreshes = 0;
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const body = ctx.body as { access_token?: string } | undefined;
    if (body?.access_token) issuedAccessTokens.push(body.access_token);
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === 'refresh_token') refreshes += 1;
  });
  // oidc-provider drops offline_access from an authorization request without prompt=consent; Entra keeps it
  // (and issues a refresh token). Behave like Entra: authorization requests count as prompt=consent, which
  // the automatic interaction below answers.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET' && !ctx.query.prompt) ctx.query = { ...ctx.query, prompt: 'consent' };
    await next();
  });
  const handler = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) void autoInteraction(provider, req, res);
    else handler(req, res);
  });
  return {
    issuer: issuer.origin,
    jwksUri: new URL('/jwks', issuer),
    issuedAccessTokens,
    refreshCount: () => refreshes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Logs the test user in, then grants what the client asked for: the provider's own prompts, answered at once. */
async function autoInteraction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: TEST_USER.accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${(error as Error).message}`);
  }
}

/** RP-initiated logout without the confirmation click: the provider's own form, submitted with "yes". */
async function autoSubmitLogout(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  ctx.body = `<!doctype html><html><body>${confirmed}<script>document.forms[0].submit()</script></body></html>`;
}
