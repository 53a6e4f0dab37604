/**
 * A loopback stand-in for Microsoft Entra ID: a real OpenID provider (oidc-provider) that carries the issuer of
 * the rendered AgentgatewayPolicy (https://login.microsoftonline.com/<tenant>/v2.0) while being served on
 * 127.0.0.1, at Entra's own paths, so the local gateway reaches it the way agentgateway reaches
 * login.microsoftonline.com (only the origin is swapped).
 *
 * Where clients notice, it behaves like Entra (v2 endpoints, an API registration with `requestedAccessTokenVersion: 2`):
 * - OpenID discovery only, at `/<tenant>/v2.0/.well-known/openid-configuration`, with the fields Entra publishes
 *   (no `code_challenge_methods_supported`, no `authorization_response_iss_parameter_supported`, no
 *   `registration_endpoint`); no RFC 8414 document, no dynamic client registration, no `iss` in the
 *   authorization response;
 * - `/<tenant>/oauth2/v2.0/authorize` and `/token` refuse a `resource` parameter that is not the API the scopes
 *   belong to with `invalid_target` and AADSTS9010010, as Entra does with the RFC 8707 `resource` of MCP clients;
 * - access tokens are JWTs with `aud` = the API's client id, `scp` (scope names), `roles` (app roles),
 *   `oid`, `tid`, `azp`, `ver: "2.0"`, `nbf`; application tokens (client credentials, `scope=<API>/.default`)
 *   carry the application's roles and no `scp`;
 * - a public client (no secret, PKCE, loopback redirect URIs match on any port, as Entra's "Mobile and desktop
 *   applications" platform does) for MCP clients, confidential web clients for the UI.
 * Sign-in is a page with one button per stand-in user (entra-users.ts), which a test can drive with plain HTTP;
 * consent is implied (the API's permission is admin-consented for the tenant).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider, { errors, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
// The provider's own in-memory storage, named explicitly: a stand-in keeps nothing across restarts on purpose.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { DEV_USER, STAND_IN_USERS, type StandInUser } from './entra-users.ts';

export { DEV_USER, STAND_IN_USERS, type StandInUser } from './entra-users.ts';

/** Tenant of a stand-in started without an issuer. */
export const STAND_IN_TENANT = '00000000-0000-0000-0000-0000000000aa';

/** How long the stand-in's access tokens live unless told otherwise (Entra's are 60-90 minutes; short here, so refresh is exercised). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 600;

export interface EntraStandInOptions {
  /** The issuer the rendered policy expects; default: `<loopback origin>/<STAND_IN_TENANT>/v2.0`. */
  issuer?: string;
  /** The API's audience (Entra v2: the API app's client id); tokens for the resource `api://<audience>` carry it. */
  audience: string;
  /** The delegated scope of the API, e.g. `api://<id>/mcp.access`. */
  apiScope: string;
  /** Confidential web clients (the UI): id, secret and redirect URIs. */
  webClients: { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris?: string[] }[];
  /** Public clients (MCP clients: PKCE, no secret). Loopback redirect URIs match on any port. */
  publicClients?: { clientId: string; redirectUris: string[] }[];
  /** Applications that get tokens for themselves (client credentials), with the API's app roles granted to them. */
  appClients?: { clientId: string; clientSecret: string; roles?: string[] }[];
  /** Who can sign in (default: entra-users.ts). */
  users?: readonly StandInUser[];
  /** Sign in without showing the page: `true` for DEV_USER, or a user's `id`. */
  autoSignIn?: boolean | string;
  /** Lifetime of access tokens in seconds (default 600); see also `setAccessTokenTtl`. */
  accessTokenTtl?: number;
  port?: number;
}

export interface EntraStandIn {
  issuer: string;
  tenant: string;
  /** Where the provider is served, e.g. http://127.0.0.1:41000 (stands in for https://login.microsoftonline.com). */
  url: URL;
  discoveryUrl: URL;
  authorizationUrl: URL;
  tokenUrl: URL;
  jwksUri: URL;
  /** The provider's public keys, for verifying its tokens. */
  keys: JWTVerifyGetKey;
  /** Access tokens issued so far, and how many refresh-token grants were answered. */
  issuedAccessTokens: string[];
  refreshCount(): number;
  /** Every `resource` parameter refused with AADSTS9010010, in order. */
  refusedResources: string[];
  /** The API resource indicator (`api://<audience>`) and its delegated scope. */
  resource: string;
  apiScope: string;
  users: readonly StandInUser[];
  /** Lifetime of the access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /**
   * Signs a token with the provider's key, shaped like a delegated token of DEV_USER (tests make wrong-audience,
   * expired, scope-less, exp-less and future tokens with it). `expiresIn: null` leaves `exp` out.
   */
  signAccessToken(
    claims?: Record<string, unknown>,
    options?: { issuer?: string; audience?: string; expiresIn?: string | number | null; issuedAt?: number; notBefore?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The message Entra's v2 endpoints answer a `resource` that the requested scopes do not belong to with. */
export const AADSTS9010010 = "AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes.";

/** Discovery fields Entra's v2 document has (and oidc-provider also produces); everything else is removed. */
const ENTRA_DISCOVERY_FIELDS = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint',
  'response_modes_supported', 'response_types_supported', 'scopes_supported', 'subject_types_supported',
  'id_token_signing_alg_values_supported', 'token_endpoint_auth_methods_supported', 'claims_supported',
  'request_uri_parameter_supported',
];

export async function startEntraStandIn(options: EntraStandInOptions): Promise<EntraStandIn> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = signingJwk;

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const issuer = options.issuer ?? `${url.origin}/${STAND_IN_TENANT}/v2.0`;
  const tenant = tenantOf(issuer);
  const paths = entraPaths(tenant);
  const users = options.users ?? STAND_IN_USERS;
  const state = { accessTokenTtl: options.accessTokenTtl ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS, refreshes: 0 };
  const context: StandInContext = { options, users, tenant, paths, state, resource: `api://${options.audience}`, refusedResources: [] };

  const provider = new Provider(issuer, configuration(context, signingJwk));
  provider.proxy = true;
  const issuedAccessTokens: string[] = [];
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const body = ctx.body as { access_token?: string } | undefined;
    if (body?.access_token) issuedAccessTokens.push(body.access_token);
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === 'refresh_token') state.refreshes += 1;
  });
  provider.use(entraShape(context));
  const providerHandler = provider.callback();
  server.on('request', (req, res) => {
    const pathname = new URL(req.url ?? '/', url).pathname;
    if (pathname.startsWith('/interaction/')) return void interaction(provider, req, res, context);
    // Entra serves its OpenID document under the tenant and the version, and nothing at the root.
    if (pathname === '/.well-known/openid-configuration' || pathname.startsWith('/.well-known/oauth-authorization-server')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    if (pathname === paths.discovery) req.url = '/.well-known/openid-configuration';
    providerHandler(req, res);
  });

  return {
    issuer,
    tenant,
    url,
    discoveryUrl: new URL(paths.discovery, url),
    authorizationUrl: new URL(paths.authorization, url),
    tokenUrl: new URL(paths.token, url),
    jwksUri: new URL(paths.jwks, url),
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    issuedAccessTokens,
    refreshCount: () => state.refreshes,
    refusedResources: context.refusedResources,
    resource: context.resource,
    apiScope: options.apiScope,
    users,
    setAccessTokenTtl: (seconds) => {
      state.accessTokenTtl = seconds;
    },
    signAccessToken: (claims = {}, opts = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ ...delegatedClaims(context, DEV_USER, 'mcp-client-under-test', scopeNameOf(options.apiScope)), ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid!, typ: 'JWT' })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? options.audience)
        .setSubject(DEV_USER.oid)
        .setIssuedAt(opts.issuedAt ?? now)
        .setNotBefore(opts.notBefore ?? opts.issuedAt ?? now);
      if (opts.expiresIn !== null) jwt.setExpirationTime(opts.expiresIn ?? '10m');
      return jwt.sign(privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface StandInContext {
  options: EntraStandInOptions;
  users: readonly StandInUser[];
  tenant: string;
  paths: ReturnType<typeof entraPaths>;
  state: { accessTokenTtl: number; refreshes: number };
  resource: string;
  refusedResources: string[];
}

/** The tenant is the first path segment of both issuer forms (`/<tenant>/v2.0`, sts.windows.net `/<tenant>/`). */
function tenantOf(issuer: string): string {
  const tenant = new URL(issuer).pathname.split('/').find(Boolean);
  if (!tenant) throw new Error(`Entra stand-in: the issuer ${issuer} has no tenant path segment`);
  return tenant;
}

/** Entra's v2 endpoint paths for a tenant (what agentgateway's `entra_endpoints` derives from the issuer). */
export function entraPaths(tenant: string) {
  return {
    discovery: `/${tenant}/v2.0/.well-known/openid-configuration`,
    authorization: `/${tenant}/oauth2/v2.0/authorize`,
    token: `/${tenant}/oauth2/v2.0/token`,
    jwks: `/${tenant}/discovery/v2.0/keys`,
    endSession: `/${tenant}/oauth2/v2.0/logout`,
    userinfo: `/${tenant}/openid/userinfo`,
  };
}

const scopeNameOf = (scope: string) => scope.slice(scope.lastIndexOf('/') + 1);

/** The claims Entra v2 puts in a delegated access token, besides iss, aud, sub and the times. */
function delegatedClaims(context: StandInContext, user: StandInUser, clientId: string, scp: string): Record<string, unknown> {
  const confidential = context.options.webClients.some((c) => c.clientId === clientId);
  return {
    ver: '2.0',
    tid: context.tenant,
    oid: user.oid,
    name: user.name,
    preferred_username: user.email,
    azp: clientId,
    azpacr: confidential ? '1' : '0',
    scp,
    ...(user.roles.length > 0 ? { roles: [...user.roles] } : {}),
  };
}

/**
 * Koa middleware around the provider: an authorization request counts as prompt=consent (oidc-provider drops
 * offline_access otherwise; Entra keeps it and issues a refresh token), the discovery document is cut down to
 * Entra's fields, the authorization response carries no `iss` (Entra does not implement RFC 9207), and a token
 * request refused for its `resource` gets Entra's AADSTS9010010 (oidc-provider checks it against the grant first).
 */
function entraShape(context: StandInContext) {
  const { paths } = context;
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (ctx.path === paths.authorization && ctx.method === 'GET' && !ctx.query.prompt) ctx.query = { ...ctx.query, prompt: 'consent' };
    await next();
    const refused = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.path === paths.token && refused?.error === 'invalid_target') {
      const resource = (ctx.oidc?.params as { resource?: string | string[] } | undefined)?.resource;
      if (resource !== undefined && !context.refusedResources.includes(String(resource))) context.refusedResources.push(String(resource));
      refused.error_description = AADSTS9010010;
    }
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      const full = ctx.body as Record<string, unknown>;
      ctx.body = Object.fromEntries(ENTRA_DISCOVERY_FIELDS.filter((k) => full[k] !== undefined).map((k) => [k, full[k]]));
    }
    const location = ctx.response.get('location');
    if (location && /[?&#]iss=/.test(location)) {
      const target = new URL(location, ctx.href);
      target.searchParams.delete('iss');
      ctx.set('location', target.href);
    }
  };
}

function configuration(context: StandInContext, signingJwk: JWK): Configuration {
  const { options, paths, resource } = context;
  const apiScope = options.apiScope;
  const clients: ClientMetadata[] = options.webClients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }));
  for (const c of options.publicClients ?? []) {
    clients.push({
      client_id: c.clientId,
      application_type: 'native',
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
  }
  for (const c of options.appClients ?? []) {
    clients.push({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    });
  }
  const appRoles = new Map((options.appClients ?? []).map((c) => [c.clientId, c.roles ?? []]));
  return {
    adapter: createMemoryAdapter(),
    clients,
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    routes: { authorization: paths.authorization, token: paths.token, jwks: paths.jwks, end_session: paths.endSession, userinfo: paths.userinfo },
    scopes: ['openid', 'profile', 'email', 'offline_access', apiScope],
    claims: { openid: ['sub', 'oid', 'tid'], profile: ['name', 'preferred_username'], email: ['email'] },
    findAccount: async (_ctx, id) => {
      const user = context.users.find((u) => u.oid === id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, oid: id, tid: context.tenant, name: user.name, preferred_username: user.email, email: user.email }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = `${String(out.error)}: ${String(out.error_description ?? '')}`;
    },
    ttl: {
      AccessToken: () => context.state.accessTokenTtl,
      ClientCredentials: () => context.state.accessTokenTtl,
      IdToken: 600,
      RefreshToken: 86400,
      Interaction: 600,
      Session: 86400,
      Grant: 86400,
    },
    formats: {
      customizers: {
        jwt: async (_ctx, token, jwt) => {
          const payload = jwt.payload as Record<string, unknown>;
          const clientId = String(payload.client_id);
          const scopes = String(payload.scope ?? '').split(' ').filter((s) => s.startsWith(`${resource}/`)).map(scopeNameOf);
          delete payload.scope;
          delete payload.client_id;
          jwt.header = { typ: 'JWT' };
          payload.nbf = payload.iat;
          payload.uti = payload.jti;
          delete payload.jti;
          const user = 'accountId' in token && token.accountId ? context.users.find((u) => u.oid === token.accountId) : undefined;
          if (user) {
            Object.assign(payload, delegatedClaims(context, user, clientId, scopes.filter((s) => s !== '.default').join(' ')));
          } else {
            const roles = appRoles.get(clientId) ?? [];
            Object.assign(payload, { ver: '2.0', tid: context.tenant, oid: clientId, azp: clientId, azpacr: '1', idtyp: 'app', ...(roles.length > 0 ? { roles } : {}) });
          }
        },
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmitLogout },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) {
            context.refusedResources.push(indicator);
            throw new errors.InvalidTarget(AADSTS9010010);
          }
          return {
            scope: `${apiScope} ${resource}/.default`,
            audience: options.audience,
            accessTokenTTL: context.state.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  } as Configuration;
}

/** Sign-in page: one button per user (or none, with autoSignIn). Consent is granted without a page. */
async function interaction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, context: StandInContext): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    const auto = context.options.autoSignIn;
    if (details.prompt.name === 'login' && (req.method === 'POST' || auto)) {
      const chosen = req.method === 'POST' ? new URLSearchParams(await readBody(req)).get('user') : auto === true ? DEV_USER.id : String(auto);
      const user = context.users.find((u) => u.id === chosen);
      if (!user) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return void res.end(`no stand-in user "${chosen ?? ''}"`);
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.oid } }, { mergeWithLastSubmission: false });
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
    const buttons = context.users
      .map((u) => `<form method="post" action="/interaction/${details.uid}"><input type="hidden" name="user" value="${u.id}"><button type="submit" id="sign-in-${u.id}">Sign in as ${escapeHtml(u.name)}</button></form>`)
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (local Entra stand-in)</title></head>
<body><main><h1>Local sign-in</h1><p>This is the dev stack's stand-in for Microsoft Entra ID. Pick who you are:</p>
${buttons}</main></body></html>`);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('this sign-in has expired or was already used; start again from the application');
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 4096) req.destroy(new Error('sign-in form too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** RP-initiated logout without a confirmation page: the provider's own form, submitted at once with "yes". */
async function autoSubmitLogout(ctx: { body: string }, form: string): Promise<void> {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  ctx.body = `<!doctype html><html><body>${confirmed}<script>document.forms[0].submit()</script></body></html>`;
}
