/**
 * The Entra stand-in (oidc-provider on loopback) issues what Entra v2 issues for the gateway: JWT access tokens
 * with the tenant's issuer and the API's client id as audience, verifiable with its published keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startEntraStandIn, type EntraStandIn } from '../entra-stand-in.ts';

const issuer = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0';
const audience = '11111111-1111-1111-1111-111111111111';
let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn({
    issuer,
    audience,
    apiScope: `api://${audience}/mcp.access`,
    webClients: [],
    cliClient: { clientId: 'cli', clientSecret: 'cli-secret' },
  });
});
afterAll(() => entra.close());

describe('Entra stand-in', () => {
  it('publishes discovery with the policy issuer and loopback endpoints', async () => {
    const discovery = await (await fetch(entra.discoveryUrl)).json();
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.token_endpoint).toBe(new URL('/token', entra.url).href);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
  });

  it('issues a client-credentials JWT that verifies against its JWKS with the API audience', async () => {
    const response = await fetch(entra.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli', client_secret: 'cli-secret', scope: `api://${audience}/mcp.access` }),
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    const discovery = await (await fetch(entra.discoveryUrl)).json();
    const { payload } = await jwtVerify(body.access_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer, audience });
    expect(payload.client_id).toBe('cli');
  });

  it('refuses a wrong client secret', async () => {
    const response = await fetch(entra.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli', client_secret: 'wrong' }),
    });
    expect(response.status).toBe(401);
  });
});
