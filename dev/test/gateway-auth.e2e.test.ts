/**
 * End to end through the rendered manifests (environment dev, as Argo CD renders it): the local gateway serves the
 * HTTPRoutes and enforces the AgentgatewayPolicy (JWT as v1.4.1 validates it, the MCP sign-in challenge, the
 * scope check); the Entra stand-in (oidc-provider) issues the tokens; every MCP server runs from apps/ with the
 * environment its pod spec gives it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { readGatewayModel, type KubeObject } from '../gateway/manifests.ts';
import type { Stack } from '../stack.ts';
import { applicationToken, connectThroughGateway, listToolsDirect, startDevStack, userToken, type Era } from './support.ts';

let stack: Stack;
let objects: KubeObject[];
let mcpRoutes: { path: string; host: string }[];

beforeAll(async () => {
  ({ stack, objects } = await startDevStack());
  mcpRoutes = readGatewayModel(objects)
    .matches.filter((m) => m.upstream.kind === 'mcp' && m.jwt && !m.path.startsWith('/.well-known/'))
    .map((m) => ({ path: m.path, host: m.upstream.kind === 'mcp' ? m.upstream.host : '' }));
});
afterAll(() => stack?.close());

async function initialize(path: string, token?: string): Promise<Response> {
  return fetch(new URL(path, stack.gateway.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '0' } },
    }),
  });
}

const now = () => Math.floor(Date.now() / 1000);

describe('the MCP routes of the rendered manifests', () => {
  it('are the three servers of servers.json, each covered by the JWT policy, each with its two discovery paths', () => {
    expect(mcpRoutes.map((r) => r.path).sort()).toEqual(['/mcp/mcp-example', '/mcp/mcp-hubspot', '/mcp/mcp-mssql']);
    const paths = readGatewayModel(objects).matches.map((m) => m.path);
    for (const { path } of mcpRoutes) {
      expect(paths).toContain(`/.well-known/oauth-protected-resource${path}`);
      expect(paths).toContain(`/.well-known/oauth-authorization-server${path}`);
    }
  });

  it('answer 401 with the sign-in challenge to a request without a token', async () => {
    for (const route of mcpRoutes) {
      const response = await initialize(route.path);
      expect(response.status, route.path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${stack.gateway.url.origin}/.well-known/oauth-protected-resource${route.path}"`);
    }
  });

  it('answer 401 with the same fixed challenge to every bad token: no library text in the header or the body', async () => {
    const otherTenant = 'https://login.microsoftonline.com/99999999-9999-9999-9999-999999999999/v2.0';
    const valid = await stack.entra.signAccessToken();
    const [header, payload, signature] = valid.split('.');
    const strangerKey = (await generateKeyPair('RS256')).privateKey;
    const badTokens: Record<string, string> = {
      'another issuer': await stack.entra.signAccessToken({}, { issuer: otherTenant }),
      'another audience': await stack.entra.signAccessToken({}, { audience: 'api://someone-else' }),
      'expired more than the 60 s of skew ago': await stack.entra.signAccessToken({}, { expiresIn: now() - 120 }),
      'no exp': await stack.entra.signAccessToken({}, { expiresIn: null }),
      'issued in the future': await stack.entra.signAccessToken({}, { issuedAt: now() + 3600, notBefore: now() - 10, expiresIn: now() + 7200 }),
      'not valid before the future': await stack.entra.signAccessToken({}, { notBefore: now() + 3600, expiresIn: now() + 7200 }),
      'a tampered signature': `${header}.${payload}.${signature!.slice(0, -6)}${signature!.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`,
      'a key the provider never published': await new SignJWT(JSON.parse(Buffer.from(payload!, 'base64url').toString()))
        .setProtectedHeader(JSON.parse(Buffer.from(header!, 'base64url').toString()))
        .sign(strangerKey),
      'not a JWT': 'not-a-token',
    };
    for (const route of mcpRoutes) {
      for (const [why, token] of Object.entries(badTokens)) {
        const response = await initialize(route.path, token);
        expect(response.status, `${route.path} with ${why}`).toBe(401);
        expect(response.headers.get('www-authenticate'), why).toBe(`Bearer resource_metadata="${stack.gateway.url.origin}/.well-known/oauth-protected-resource${route.path}"`);
        expect(await response.json(), why).toEqual({ error: 'unauthorized', error_description: 'JWT token required' });
      }
    }
  });

  it('accept a token that expired less than 60 s ago, as v1.4.1 does (jsonwebtoken leeway)', async () => {
    const token = await stack.entra.signAccessToken({}, { expiresIn: now() - 30 });
    expect((await initialize(mcpRoutes[0]!.path, token)).status).toBe(200);
  });

  it('answer 403 insufficient_scope, naming the scope and the metadata, to a delegated token for another scope', async () => {
    const token = await stack.entra.signAccessToken({ scp: 'User.Read' });
    for (const route of mcpRoutes) {
      const response = await initialize(route.path, token);
      expect(response.status, route.path).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="insufficient_scope", scope="${stack.entra.apiScope}", resource_metadata="${stack.gateway.url.origin}/.well-known/oauth-protected-resource${route.path}"`,
      );
      expect(await response.json()).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks the scope mcp.access' });
    }
  });

  it('leave tokens without any scope (applications) to the access rules: 403 without a challenge they cannot answer', async () => {
    const scopeless: Record<string, string> = {
      'a token without scp or roles': await stack.entra.signAccessToken({ scp: undefined, roles: undefined }),
      'an application token (client credentials) with no role': await applicationToken(stack),
    };
    for (const route of mcpRoutes) {
      for (const [why, token] of Object.entries(scopeless)) {
        const response = await initialize(route.path, token);
        expect(response.status, `${route.path} with ${why}`).toBe(403);
        expect(response.headers.get('www-authenticate'), why).toBeNull();
        expect(await response.text()).toBe('authorization failed');
      }
    }
  });

  it('name https in the 403 challenge behind a TLS proxy (X-Forwarded-Proto), and nothing else a client sends', async () => {
    const token = await stack.entra.signAccessToken({ scp: 'User.Read' });
    const path = mcpRoutes[0]!.path;
    for (const [proto, scheme] of [['https', 'https'], ['javascript', 'http'], ['http', 'http']]) {
      const response = await fetch(new URL(path, stack.gateway.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-proto': proto!, 'content-type': 'application/json' }, body: '{}' });
      expect(response.headers.get('www-authenticate'), proto).toContain(`resource_metadata="${scheme}://${stack.gateway.url.host}/.well-known/oauth-protected-resource${path}"`);
    }
  });

  it('accept the same request with a valid token (the control case of the matrices above)', async () => {
    const token = await stack.entra.signAccessToken();
    for (const route of mcpRoutes) expect((await initialize(route.path, token)).status, route.path).toBe(200);
  });

  for (const era of ['2025-11-25', '2026-07-28'] as Era[]) {
    it(`reach the right server with a token from the provider (${era} client)`, async () => {
      const token = await userToken(stack);
      const seen = new Map<string, string[]>();
      for (const route of mcpRoutes) {
        const client = await connectThroughGateway(stack, route.path, token, era);
        const viaGateway = (await client.listTools()).tools.map((t) => t.name).sort();
        await client.close();
        const workload = [...stack.processes.values()].find((p) => p.name === route.path.split('/').pop());
        const direct = await listToolsDirect(workload!.port, route.host);
        expect(viaGateway.length, route.path).toBeGreaterThan(0);
        expect(viaGateway, route.path).toEqual(direct);
        seen.set(route.path, viaGateway);
      }
      const toolSets = [...seen.values()].map((names) => names.join(','));
      expect(new Set(toolSets).size).toBe(toolSets.length);
    });
  }

  it('call a tool end to end: mcp-example echo and mcp-hubspot against the HubSpot stand-in', async () => {
    const token = await userToken(stack);
    const example = await connectThroughGateway(stack, '/mcp/mcp-example', token);
    const echoed = await example.callTool({ name: 'echo', arguments: { text: 'through the gateway' } });
    expect(JSON.stringify(echoed.content)).toContain('through the gateway');
    await example.close();

    const hubspot = await connectThroughGateway(stack, '/mcp/mcp-hubspot', token);
    const found = await hubspot.callTool({ name: 'search_crm_objects', arguments: { objectType: 'contacts', query: 'Lovelace', properties: ['firstname', 'email'] } });
    expect(found.isError ?? false).toBe(false);
    expect(JSON.stringify(found)).toContain('Ada');
    await hubspot.close();
  });
});
