/**
 * The Entra stand-in (oidc-provider on loopback) behaves like Entra ID v2 where clients notice: OpenID discovery
 * only, at Entra's paths and with Entra's fields; no RFC 8414 document and no dynamic registration; a `resource`
 * parameter the scopes do not belong to refused with AADSTS9010010 at /authorize and /token; access tokens with
 * the API's client id as `aud`, scope names in `scp`, app roles in `roles`; a sign-in page a test can drive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { AADSTS9010010, STAND_IN_USERS, startEntraStandIn, type EntraStandIn } from '../entra-stand-in.ts';
import { Agent, signInAs } from './sign-in.ts';

const tenant = '00000000-0000-0000-0000-000000000000';
const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
const audience = '11111111-1111-1111-1111-111111111111';
const apiScope = `api://${audience}/mcp.access`;
const publicClient = '33333333-3333-3333-3333-333333333333';
const callback = 'http://127.0.0.1/oauth/callback';
let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn({
    issuer,
    audience,
    apiScope,
    webClients: [],
    publicClients: [{ clientId: publicClient, redirectUris: [callback] }],
    appClients: [{ clientId: 'daemon', clientSecret: 'daemon-secret', roles: ['mcp.reader'] }],
  });
});
afterAll(() => entra.close());

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});

/** An authorization request of the public client, as an MCP client makes it (PKCE S256), plus its verifier. */
function authorizationRequest(extra: Record<string, string> = {}, redirectUri = 'http://127.0.0.1:49152/oauth/callback') {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(entra.authorizationUrl);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: publicClient,
    redirect_uri: redirectUri,
    scope: `${apiScope} offline_access`,
    state: 'state-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  })) url.searchParams.set(k, v);
  return { url, verifier, redirectUri };
}

async function signInAndRedeem(userId: string, redirectUri?: string) {
  const request = authorizationRequest({}, redirectUri);
  const back = await signInAs(new Agent(), request.url, request.redirectUri, userId);
  const code = back.searchParams.get('code')!;
  const response = await fetch(entra.tokenUrl, form({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: request.redirectUri, code_verifier: request.verifier }));
  return { back, response, body: (await response.json()) as Record<string, string> };
}

describe('Entra stand-in discovery', () => {
  it('publishes OpenID discovery under the tenant, with the policy issuer and Entra-style endpoints', async () => {
    const discovery = await (await fetch(entra.discoveryUrl)).json();
    expect(entra.discoveryUrl.pathname).toBe(`/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.authorization_endpoint).toBe(new URL(`/${tenant}/oauth2/v2.0/authorize`, entra.url).href);
    expect(discovery.token_endpoint).toBe(new URL(`/${tenant}/oauth2/v2.0/token`, entra.url).href);
    expect(discovery.jwks_uri).toBe(new URL(`/${tenant}/discovery/v2.0/keys`, entra.url).href);
  });

  it('leaves out what Entra leaves out: PKCE methods, RFC 9207, dynamic registration', async () => {
    const discovery = await (await fetch(entra.discoveryUrl)).json();
    expect(discovery).not.toHaveProperty('code_challenge_methods_supported');
    expect(discovery).not.toHaveProperty('authorization_response_iss_parameter_supported');
    expect(discovery).not.toHaveProperty('registration_endpoint');
  });

  it('serves no RFC 8414 document and nothing at the root', async () => {
    for (const path of [`/.well-known/oauth-authorization-server/${tenant}/v2.0`, '/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      expect((await fetch(new URL(path, entra.url))).status, path).toBe(404);
    }
  });
});

describe('Entra stand-in sign-in', () => {
  it('offers a button per stand-in user', async () => {
    const agent = new Agent();
    const hops = await agent.follow(authorizationRequest().url);
    const page = hops.at(-1)!;
    expect(page.status).toBe(200);
    for (const user of STAND_IN_USERS) expect(page.text).toContain(`Sign in as ${user.name}`);
  });

  it('signs a user in (any loopback port) and issues v2 tokens: aud = API id, scope names in scp, app roles in roles', async () => {
    const { back, response, body } = await signInAndRedeem('grace');
    expect(back.port).toBe('49152');
    expect(back.searchParams.has('iss')).toBe(false);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.refresh_token).toBeTruthy();
    const { payload } = await jwtVerify(body.access_token!, createRemoteJWKSet(entra.jwksUri), { issuer, audience });
    const grace = STAND_IN_USERS.find((u) => u.id === 'grace')!;
    expect(payload).toMatchObject({ ver: '2.0', tid: tenant, oid: grace.oid, sub: grace.oid, name: grace.name, preferred_username: grace.email, azp: publicClient, scp: 'mcp.access', roles: grace.roles });
    expect(payload.nbf).toBe(payload.iat);
    expect(payload).not.toHaveProperty('scope');
    expect(decodeProtectedHeader(body.access_token!).typ).toBe('JWT');
  });

  it('gives a user without app roles no roles claim', async () => {
    const { body } = await signInAndRedeem('alan');
    expect(decodeJwt(body.access_token!)).not.toHaveProperty('roles');
  });

  it('refuses a redirect URI the public client did not register', async () => {
    const hops = await new Agent().follow(authorizationRequest({}, 'http://127.0.0.1:5000/elsewhere').url);
    expect(hops[0]!.status).toBe(400);
  });

  it('refuses an authorization request whose resource is not the API (AADSTS9010010), on the redirect URI', async () => {
    const answer = await new Agent().request(authorizationRequest({ resource: 'http://127.0.0.1:8080/mcp/mcp-example' }).url);
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_target');
    expect(back.searchParams.get('error_description')).toBe(AADSTS9010010);
    expect(entra.refusedResources).toContain('http://127.0.0.1:8080/mcp/mcp-example');
  });

  it('refuses a token request whose resource is not the API (AADSTS9010010)', async () => {
    const request = authorizationRequest();
    const back = await signInAs(new Agent(), request.url, request.redirectUri, 'ada');
    const response = await fetch(entra.tokenUrl, form({
      grant_type: 'authorization_code', client_id: publicClient, code: back.searchParams.get('code')!, redirect_uri: request.redirectUri,
      code_verifier: request.verifier, resource: 'http://127.0.0.1:8080/mcp/mcp-example',
    }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_target', error_description: AADSTS9010010 });
  });
});

describe('Entra stand-in application tokens', () => {
  it('issues a client-credentials token for <API>/.default with the application roles and no scp', async () => {
    const response = await fetch(entra.tokenUrl, form({ grant_type: 'client_credentials', client_id: 'daemon', client_secret: 'daemon-secret', scope: `api://${audience}/.default` }));
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(entra.jwksUri), { issuer, audience });
    expect(payload).toMatchObject({ azp: 'daemon', idtyp: 'app', roles: ['mcp.reader'] });
    expect(payload).not.toHaveProperty('scp');
  });

  it('refuses a wrong client secret', async () => {
    const response = await fetch(entra.tokenUrl, form({ grant_type: 'client_credentials', client_id: 'daemon', client_secret: 'wrong' }));
    expect(response.status).toBe(401);
  });
});
