/**
 * JWT authentication of a route, with the MCP sign-in extension (`traffic.jwtAuthentication.mcp`), as
 * agentgateway v1.4.1 does it. The v1.4.1 source this follows (tag v1.4.1, commit 163ea21; lines approximate):
 *
 * - `types/agent.rs` `JwtAuthentication::apply` (~L2788–2818): with `mcp` set, the well-known paths skip JWT;
 *   a failed JWT becomes `create_auth_required_response`; then `handle_mcp_request` may answer directly.
 * - `mcp/auth.rs`:
 *   `is_well_known_endpoint` (~L22), `handle_mcp_request` (~L71–146, the order of the path tests below),
 *   `create_auth_required_response` (~L148–174, the `WWW-Authenticate: Bearer resource_metadata=…` value),
 *   `protected_resource_metadata` (~L176–209), `strip_oauth_protected_resource_prefix` / `uri_with_path` (~L221–253),
 *   `request_uri_for_oauth_metadata` (~L255–263, `X-Forwarded-Proto`),
 *   `authorization_server_metadata`, Entra branch (~L265–300, ~L386–436: Entra's OpenID document with the
 *   endpoints rewritten to the gateway, `registration_endpoint` added, `code_challenge_methods_supported`
 *   defaulted, Entra's `issuer` KEPT: agentgateway#3080),
 *   `client_registration` / `build_mock_dcr_response` (~L438–457, ~L666–707),
 *   `entra_authorize` (~L531–554), `entra_token` / `parse_entra_token_form` (~L566–664).
 * - `types/agent.rs` `ResourceMetadata::to_rfc_json` (~L2746–2776): computed `resource` and
 *   `authorization_servers`, `mcp_protocol_version`, `resource_type`, configured keys in snake_case.
 * - `http/oauth.rs` `entra_endpoints` (~L78–104): Entra's endpoints derived from the issuer.
 * - `proxy/mod.rs` `into_response_with_grpc` (~L383–394): the 401 body and headers of an MCP JWT failure;
 *   ~L404: the plain-text 401 without `mcp`.
 *
 * Where the harness differs: `bridgedIssuer: 'gateway'` applies the issuer rewrite agentgateway main has since
 * #3089 (`rewrite_authorization_server_issuer`), which PR #3327 builds on; only the Entra provider is modelled
 * (another provider's discovery or registration answers 500 and logs why).
 */
import { bearerToken, checkToken } from './jwt.ts';
import { BUFFER_LIMIT, requestBody } from './body.ts';
import type { McpSignIn, JwtRule } from './manifests.ts';
import { type Answer, type Exchange, type GatewayContext, jsonAnswer } from './pipeline.ts';

const PROTECTED_RESOURCE = '/.well-known/oauth-protected-resource';
const AUTHORIZATION_SERVER = '/.well-known/oauth-authorization-server';
const ENTRA_LOGIN_HOST = 'login.microsoftonline.com';

/** CORS headers v1.4.1 puts on both metadata documents. */
const METADATA_HEADERS = {
  'content-type': 'application/json',
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

export function isWellKnownEndpoint(path: string): boolean {
  return path === PROTECTED_RESOURCE || path.startsWith(`${PROTECTED_RESOURCE}/`) || path === AUTHORIZATION_SERVER || path.startsWith(`${AUTHORIZATION_SERVER}/`);
}

/** The route's JWT policy: validate the bearer token, then let the MCP extension answer its own paths. */
export async function authenticate(exchange: Exchange, gateway: GatewayContext): Promise<Answer | undefined> {
  const rule = exchange.route?.match.jwt;
  if (!rule) return undefined;
  const path = exchange.url.pathname;
  if (!(rule.mcp && isWellKnownEndpoint(path))) {
    const refusal = await validate(exchange, rule, gateway);
    if (refusal) return refusal;
  }
  return rule.mcp ? handleMcpRequest(exchange, rule, rule.mcp, gateway) : undefined;
}

/** v1.4.1 `Jwt::apply`: Strict needs a token; Permissive lets a bad one through; a good one is removed. */
async function validate(exchange: Exchange, rule: JwtRule, gateway: GatewayContext): Promise<Answer | undefined> {
  const token = bearerToken(exchange.req.headers.authorization);
  if (!token && rule.mode !== 'Strict') return undefined;
  const result = await checkToken(rule, token, gateway.keys, gateway.now());
  if (!result.ok) {
    if (rule.mode === 'Permissive') return undefined;
    gateway.log(`JWT refused on ${exchange.url.pathname} (policy ${rule.policy}): ${result.reason}`);
    if (!rule.mcp) {
      const text = result.reason === 'missing' ? 'authentication failure: no bearer token found' : 'authentication failure: the token is not valid';
      return { status: 401, headers: { 'content-type': 'text/plain' }, body: text };
    }
    return {
      status: 401,
      headers: { 'www-authenticate': authRequiredChallenge(exchange, rule.mcp), 'content-type': 'application/json' },
      body: '{"error":"unauthorized","error_description":"JWT token required"}',
    };
  }
  exchange.claims = result.claims;
  delete exchange.req.headers.authorization;
  return undefined;
}

/**
 * `create_auth_required_response`: the origin (of a configured `resource`, else of the request) + the
 * protected-resource prefix + the request path. The path is the parsed one, so it holds no quote or control
 * character, and the host was checked when the request came in.
 */
export function authRequiredChallenge(exchange: Exchange, mcp: McpSignIn): string {
  const configured = typeof mcp.resourceMetadata.resource === 'string' ? URL.parse(mcp.resourceMetadata.resource) : null;
  const origin = configured?.origin ?? exchange.externalUrl.origin;
  return `Bearer resource_metadata="${origin}${PROTECTED_RESOURCE}${exchange.url.pathname}"`;
}

/** `handle_mcp_request`: the paths the extension answers itself, tested in v1.4.1's order. */
async function handleMcpRequest(exchange: Exchange, rule: JwtRule, mcp: McpSignIn, gateway: GatewayContext): Promise<Answer | undefined> {
  const path = exchange.url.pathname;
  const entra = mcp.provider === 'Entra';
  if (path.endsWith('client-registration')) return clientRegistration(exchange, mcp, gateway);
  if (path === PROTECTED_RESOURCE || path.startsWith(`${PROTECTED_RESOURCE}/`)) return protectedResourceMetadata(exchange, rule, mcp);
  if (entra && path.startsWith(`${AUTHORIZATION_SERVER}/`) && path.endsWith('/authorize')) return entraAuthorize(exchange, rule, gateway);
  if (entra && path.startsWith(`${AUTHORIZATION_SERVER}/`) && path.endsWith('/token')) return entraToken(exchange, rule, gateway);
  if (path === AUTHORIZATION_SERVER || path.startsWith(`${AUTHORIZATION_SERVER}/`)) return authorizationServerMetadata(exchange, rule, mcp, gateway);
  return undefined;
}

/** `uri_with_path`: the external URL with its path (and no query) replaced; an empty path gives the bare origin. */
function withPath(url: URL, path: string): string {
  return path === '' ? url.origin : `${url.origin}${path}`;
}

function protectedResourceMetadata(exchange: Exchange, rule: JwtRule, mcp: McpSignIn): Answer {
  const resource = withPath(exchange.externalUrl, exchange.externalUrl.pathname.slice(PROTECTED_RESOURCE.length));
  // With a provider, the gateway itself is the authorization server clients are sent to.
  const issuer = mcp.provider ? resource : rule.issuer;
  const document: Record<string, unknown> = {
    resource,
    authorization_servers: [issuer],
    mcp_protocol_version: '2025-06-18',
    resource_type: 'mcp-server',
  };
  for (const [key, value] of Object.entries(mcp.resourceMetadata)) document[snakeCase(key)] = value;
  return { status: 200, headers: METADATA_HEADERS, body: JSON.stringify(document) };
}

/** heck's `to_snake_case` for the camelCase keys a CRD carries. */
function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase();
}

/** `http/oauth.rs` `entra_endpoints`, then moved onto this machine: the tenant's v2 endpoints on the login host. */
function entraEndpoints(issuer: string, gateway: GatewayContext) {
  const parsed = new URL(issuer);
  const tenant = parsed.pathname.split('/').find(Boolean);
  if (!tenant) throw new Error(`Entra issuer URL ${issuer} has no tenant path segment`);
  const host = parsed.hostname.toLowerCase() === 'sts.windows.net' ? ENTRA_LOGIN_HOST : parsed.host;
  const authority = gateway.entraOrigin && host === ENTRA_LOGIN_HOST ? `${gateway.entraOrigin.origin}/${tenant}` : `https://${host}/${tenant}`;
  return {
    openidConfiguration: `${authority}/v2.0/.well-known/openid-configuration`,
    authorizationEndpoint: `${authority}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
  };
}

/** v1.4.1 turns every failure of the bridge into a bare 500 and logs the cause. */
function bridgeFailure(gateway: GatewayContext, what: string, error: unknown): Answer {
  gateway.log(`${what} error: ${error instanceof Error ? error.message : String(error)}`);
  return { status: 500 };
}

async function authorizationServerMetadata(exchange: Exchange, rule: JwtRule, mcp: McpSignIn, gateway: GatewayContext): Promise<Answer> {
  if (mcp.provider !== 'Entra') return bridgeFailure(gateway, 'authorization_server_metadata', new Error(`provider ${mcp.provider ?? '(none)'} is not modelled by the local gateway`));
  try {
    const upstream = await fetch(entraEndpoints(rule.issuer, gateway).openidConfiguration, { signal: AbortSignal.timeout(10_000) });
    const metadata = (await upstream.json()) as Record<string, unknown>;
    if (typeof metadata.authorization_endpoint !== 'string') throw new Error('authorization_endpoint missing');
    if (typeof metadata.token_endpoint !== 'string') throw new Error('token_endpoint missing');
    // `current_uri`: the metadata URL as the client asked for it, query included.
    const currentUri = exchange.externalUrl.href;
    metadata.authorization_endpoint = `${currentUri}/authorize`;
    metadata.token_endpoint = `${currentUri}/token`;
    metadata.registration_endpoint = `${currentUri}/client-registration`;
    metadata.code_challenge_methods_supported ??= ['S256'];
    if (gateway.bridgedIssuer === 'gateway') {
      metadata.issuer = withPath(exchange.externalUrl, exchange.externalUrl.pathname.slice(AUTHORIZATION_SERVER.length));
    }
    return { status: 200, headers: METADATA_HEADERS, body: JSON.stringify(metadata) };
  } catch (error) {
    return bridgeFailure(gateway, 'authorization_server_metadata', error);
  }
}

/** A 302 to Entra's authorize endpoint with the client's query, less every `resource` (AADSTS9010010). */
function entraAuthorize(exchange: Exchange, rule: JwtRule, gateway: GatewayContext): Answer {
  try {
    const location = new URL(entraEndpoints(rule.issuer, gateway).authorizationEndpoint);
    const query = new URLSearchParams(exchange.url.search);
    query.delete('resource');
    location.search = query.toString();
    return { status: 302, headers: { location: location.href } };
  } catch (error) {
    return bridgeFailure(gateway, 'entra authorize', error);
  }
}

/** The token request re-sent to Entra without `resource`; Entra's answer is passed back as it is. */
async function entraToken(exchange: Exchange, rule: JwtRule, gateway: GatewayContext): Promise<Answer> {
  if (exchange.req.method !== 'POST') return { status: 405, headers: { allow: 'POST' } };
  try {
    const body = await requestBody(exchange);
    if (!body) throw new Error(`token request body over ${BUFFER_LIMIT} bytes`);
    const form = new URLSearchParams(body.toString('utf8'));
    form.delete('resource');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    // Credentials of client_secret_basic travel in Authorization; v1.4.1 forwards them and adds nothing.
    if (exchange.req.headers.authorization) headers.authorization = exchange.req.headers.authorization;
    const upstream = await fetch(entraEndpoints(rule.issuer, gateway).tokenEndpoint, { method: 'POST', headers, body: form.toString(), signal: AbortSignal.timeout(10_000) });
    const answerHeaders: Record<string, string> = {};
    for (const name of ['content-type', 'cache-control', 'pragma', 'www-authenticate']) {
      const value = upstream.headers.get(name);
      if (value) answerHeaders[name] = value;
    }
    return { status: upstream.status, headers: answerHeaders, body: Buffer.from(await upstream.arrayBuffer()) };
  } catch (error) {
    return bridgeFailure(gateway, 'entra token', error);
  }
}

/**
 * With `clientId` set, registration is answered here with that id and the redirect URIs the client sent (the
 * only fields strict clients check), never forwarded; Entra has no registration endpoint to forward to.
 */
async function clientRegistration(exchange: Exchange, mcp: McpSignIn, gateway: GatewayContext): Promise<Answer> {
  if (!mcp.clientId) return bridgeFailure(gateway, 'client_registration', new Error('no clientId configured; Entra ID does not support Dynamic Client Registration'));
  const body = await requestBody(exchange);
  if (!body) return bridgeFailure(gateway, 'client_registration', new Error(`registration body over ${BUFFER_LIMIT} bytes`));
  let redirectUris: unknown = [];
  try {
    const requested = JSON.parse(body.toString('utf8')) as { redirect_uris?: unknown };
    if (Array.isArray(requested?.redirect_uris)) redirectUris = requested.redirect_uris;
  } catch {
    // v1.4.1 answers a body that is not JSON with no redirect URIs.
  }
  return jsonAnswer(201, {
    client_id: mcp.clientId,
    client_id_issued_at: 0,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: redirectUris,
  });
}
