/**
 * MCP clients sign in through the gateway by themselves (MCP 2025-11-25 "Authorization", RFC 9728, RFC 8414),
 * end to end through `npm run dev`'s stack: environment dev as Argo CD renders it, the local gateway playing agentgateway
 * v1.4.1's Entra bridge from the rendered `jwtAuthentication.mcp`, and the Entra stand-in (a real OpenID
 * provider behaving like Entra: no RFC 8414 document, no registration, AADSTS9010010 on `resource`).
 * The official SDK client (@modelcontextprotocol/client) runs its own OAuth flow; nobody hands it a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssuerMismatchError } from '@modelcontextprotocol/client';
import { STAND_IN_USERS } from '../entra-users.ts';
import { readGatewayModel } from '../gateway/manifests.ts';
import type { Stack } from '../stack.ts';
import { connectWithSignIn, InMemoryOAuthProvider, startDevStack } from './support.ts';
import { Agent, signInAs } from './sign-in.ts';

let stack: Stack;
let gateway: string;
/** Each MCP route of the rendered manifests with a tool to call on it and what the answer must contain. */
let routes: { path: string; call: { name: string; arguments: Record<string, unknown> }; expect: RegExp }[];

const CALLS: Record<string, { call: { name: string; arguments: Record<string, unknown> }; expect: RegExp }> = {
  'mcp-example': { call: { name: 'echo', arguments: { text: 'signed in by itself' } }, expect: /signed in by itself/ },
  'mcp-hubspot': { call: { name: 'search_crm_objects', arguments: { objectType: 'contacts', query: 'Lovelace', properties: ['firstname'] } }, expect: /Ada/ },
  // No SQL Server here: the tool answers, with the error that says so, which proves the call went through.
  'mcp-mssql': { call: { name: 'list_schemas', arguments: {} }, expect: /no SQL Server is configured/ },
};

beforeAll(async () => {
  let objects;
  ({ stack, objects } = await startDevStack());
  gateway = stack.gateway.url.origin;
  const mcpPaths = readGatewayModel(objects).matches.filter((m) => m.upstream.kind === 'mcp' && !m.path.startsWith('/.well-known/')).map((m) => m.path);
  routes = mcpPaths.sort().map((path) => ({ path, ...CALLS[path.split('/').pop()!]! }));
});
afterAll(() => stack?.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, gateway), { headers, redirect: 'manual' });

describe('discovery from a bare connection, as v1.4.1 answers it', () => {
  it('answers 401 with the challenge that points at the protected-resource metadata of the route', async () => {
    for (const { path } of routes) {
      const response = await fetch(new URL(path, gateway), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate'), path).toBe(`Bearer resource_metadata="${gateway}/.well-known/oauth-protected-resource${path}"`);
      expect(await response.json()).toEqual({ error: 'unauthorized', error_description: 'JWT token required' });
    }
  });

  it('serves the protected-resource metadata: resource computed per route, the gateway as authorization server, the scope', async () => {
    for (const { path } of routes) {
      const response = await get(`/.well-known/oauth-protected-resource${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual({
        resource: `${gateway}${path}`,
        authorization_servers: [`${gateway}${path}`],
        mcp_protocol_version: '2025-06-18',
        resource_type: 'mcp-server',
        scopes_supported: [stack.entra.apiScope],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it("bridges Entra's OpenID document into RFC 8414 metadata, keeping Entra's issuer (agentgateway#3080)", async () => {
    const path = routes[0]!.path;
    const base = `${gateway}/.well-known/oauth-authorization-server${path}`;
    const metadata = await (await get(`/.well-known/oauth-authorization-server${path}`)).json();
    expect(metadata).toMatchObject({
      issuer: stack.entra.issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/client-registration`,
      code_challenge_methods_supported: ['S256'],
      jwks_uri: stack.entra.jwksUri.href,
    });
    expect(metadata.issuer).not.toBe(`${gateway}${path}`);
  });

  it('honours X-Forwarded-Proto in the challenge and both documents', async () => {
    const path = routes[0]!.path;
    const httpsGateway = gateway.replace(/^http:/, 'https:');
    const challenge = await fetch(new URL(path, gateway), { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: '{}' });
    expect(challenge.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${httpsGateway}/.well-known/oauth-protected-resource${path}"`);
    const resource = await (await get(`/.well-known/oauth-protected-resource${path}`, { 'x-forwarded-proto': 'https' })).json();
    expect(resource.resource).toBe(`${httpsGateway}${path}`);
    const metadata = await (await get(`/.well-known/oauth-authorization-server${path}`, { 'x-forwarded-proto': 'https' })).json();
    expect(metadata.token_endpoint).toBe(`${httpsGateway}/.well-known/oauth-authorization-server${path}/token`);
  });

  it('answers registration with the pre-registered public client id and the redirect URIs asked for', async () => {
    const response = await fetch(`${gateway}/.well-known/oauth-authorization-server${routes[0]!.path}/client-registration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'any client', redirect_uris: ['http://127.0.0.1:1234/oauth/callback'] }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      client_id: stack.mcpClientId,
      client_id_issued_at: 0,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:1234/oauth/callback'],
    });
  });

  it('sends /authorize on to Entra without the resource parameter, everything else kept', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: stack.mcpClientId, state: 's', resource: `${gateway}/mcp/x`, code_challenge_method: 'S256' });
    const response = await get(`/.well-known/oauth-authorization-server${routes[0]!.path}/authorize?${query}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(stack.entra.authorizationUrl.href);
    expect(location.searchParams.has('resource')).toBe(false);
    expect(location.searchParams.get('state')).toBe('s');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('answers a GET on /token with 405 and Allow: POST', async () => {
    const response = await get(`/.well-known/oauth-authorization-server${routes[0]!.path}/token`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('the official SDK client signing in by itself', () => {
  it('is refused by v1.4.1 as rendered: the bridged issuer is not the authorization server it discovered (agentgateway#3080)', async () => {
    const failure = await connectWithSignIn(stack, routes[0]!.path).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(IssuerMismatchError);
    expect(String((failure as Error).message)).toContain(stack.entra.issuer);
  });

  it('signs in and calls a tool on every server when it skips the RFC 8414 §3.3 check (the client-side workaround)', async () => {
    for (const { path, call, expect: answer } of routes) {
      const { client, provider } = await connectWithSignIn(stack, path, { skipIssuerMetadataValidation: true });
      const result = await client.callTool(call);
      expect(JSON.stringify(result.content), path).toMatch(answer);
      expect(provider.tokens()?.access_token).toBeTruthy();
      await client.close();
    }
    expect(stack.entra.refusedResources).toEqual([]);
  });

  describe('with the bridged issuer fixed (the harness switch for agentgateway main #3089 / PR #3327)', () => {
    beforeAll(() => stack.gateway.setBridgedIssuer('gateway'));
    afterAll(() => stack.gateway.setBridgedIssuer('entra'));

    it('advertises the gateway URL as the issuer', async () => {
      const path = routes[0]!.path;
      expect((await (await get(`/.well-known/oauth-authorization-server${path}`)).json()).issuer).toBe(`${gateway}${path}`);
    });

    it('signs in with PKCE through the stand-in and calls a tool on every server, with no token handed to it', async () => {
      for (const { path, call, expect: answer } of routes) {
        const provider = new InMemoryOAuthProvider();
        const { client } = await connectWithSignIn(stack, path, { provider });
        expect(provider.authorizationUrl?.href, path).toContain(`${gateway}/.well-known/oauth-authorization-server${path}/authorize`);
        expect(provider.authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
        expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(`${gateway}${path}`);
        expect(provider.clientInformation()?.client_id).toBe(stack.mcpClientId);
        const result = await client.callTool(call);
        expect(JSON.stringify(result.content), path).toMatch(answer);
        await client.close();
      }
      // Every client sent `resource` (the SDK always does); the bridge removed it before Entra saw it.
      expect(stack.entra.refusedResources).toEqual([]);
    });

    it('signs in as whoever clicks through the page: the token names that person and carries their app roles', async () => {
      const grace = STAND_IN_USERS.find((u) => u.id === 'grace')!;
      const { client, provider } = await connectWithSignIn(stack, routes[0]!.path, { userId: grace.id });
      const claims = JSON.parse(Buffer.from(provider.tokens()!.access_token.split('.')[1]!, 'base64url').toString());
      expect(claims).toMatchObject({ oid: grace.oid, name: grace.name, roles: grace.roles, scp: 'mcp.access', aud: stack.entra.resource.replace('api://', '') });
      await client.close();
    });

    it('refreshes the access token once it has expired, and the call goes through', async () => {
      const path = routes.find((r) => r.path.endsWith('mcp-example'))!.path;
      stack.entra.setAccessTokenTtl(2);
      try {
        const { client, provider } = await connectWithSignIn(stack, path);
        const first = provider.tokens()!;
        expect(first.refresh_token).toBeTruthy();
        stack.entra.setAccessTokenTtl(600);
        // v1.4.1 accepts an `exp` up to 60 s in the past: move the gateway's clock past that instead of waiting.
        await new Promise((resolve) => setTimeout(resolve, 2100));
        stack.gatewayClock.advance(61_000);
        const refreshesBefore = stack.entra.refreshCount();
        const result = await client.callTool(CALLS['mcp-example']!.call);
        expect(JSON.stringify(result.content)).toMatch(CALLS['mcp-example']!.expect);
        expect(stack.entra.refreshCount()).toBe(refreshesBefore + 1);
        expect(provider.tokens()!.access_token).not.toBe(first.access_token);
        await client.close();
      } finally {
        stack.entra.setAccessTokenTtl(600);
        stack.gatewayClock.reset();
      }
    });
  });
});

describe('the Entra stand-in on its own', () => {
  it('refuses the resource parameter the gateway strips: without the bridge, Entra stops MCP clients (AADSTS9010010)', async () => {
    const url = new URL(stack.entra.authorizationUrl);
    url.search = new URLSearchParams({ response_type: 'code', client_id: stack.mcpClientId, redirect_uri: 'http://127.0.0.1:4000/oauth/callback', scope: stack.entra.apiScope, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', resource: `${gateway}${routes[0]!.path}` }).toString();
    const answer = await new Agent().request(url);
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_target');
    expect(back.searchParams.get('error_description')).toMatch(/^AADSTS9010010/);
    stack.entra.refusedResources.length = 0;
  });

  it('drives the same sign-in page the gateway sends browsers to', async () => {
    const url = new URL(`${gateway}/.well-known/oauth-authorization-server${routes[0]!.path}/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: stack.mcpClientId, redirect_uri: 'http://127.0.0.1:4000/oauth/callback', scope: stack.entra.apiScope, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', state: 'abc' }).toString();
    const back = await signInAs(new Agent(), url, 'http://127.0.0.1:4000/oauth/callback', 'alan');
    expect(back.searchParams.get('state')).toBe('abc');
    expect(back.searchParams.get('code')).toBeTruthy();
  });
});
