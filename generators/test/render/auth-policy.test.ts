import { describe, expect, it } from 'vitest';
import { entraIssuer, insufficientScopeResponse, jwksPath, renderAuthPolicies, renderJwksBackend } from '../../src/render/auth-policy.ts';
import { goodRegistry } from '../helpers.ts';

const tenant = '00000000-0000-0000-0000-000000000000';

describe('entraIssuer', () => {
  it('uses the v2 issuer for token version 2 and the sts issuer for version 1', () => {
    expect(entraIssuer({ tenantId: tenant, tokenVersion: 2 })).toBe(`https://login.microsoftonline.com/${tenant}/v2.0`);
    expect(entraIssuer({ tenantId: tenant, tokenVersion: 1 })).toBe(`https://sts.windows.net/${tenant}/`);
    expect(jwksPath({ tenantId: tenant })).toBe(`/${tenant}/discovery/v2.0/keys`);
  });
});

describe('renderJwksBackend', () => {
  it('reaches login.microsoftonline.com:443 with TLS', () => {
    expect(renderJwksBackend(goodRegistry()).spec).toEqual({
      static: { host: 'login.microsoftonline.com', port: 443 },
      policies: { tls: { sni: 'login.microsoftonline.com' } },
    });
  });
});

describe('renderAuthPolicies', () => {
  it('renders one strict Entra policy over the MCP routes', () => {
    const [policy, ...rest] = renderAuthPolicies(goodRegistry(), ['a', 'b']) as any[];
    expect(rest).toEqual([]);
    expect(policy.metadata.name).toBe('azure-mcp-authn-policy');
    expect(policy.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'a' },
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'b' },
    ]);
    expect(policy.spec.traffic.jwtAuthentication).toEqual({
      mode: 'Strict',
      providers: [
        {
          issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
          audiences: ['11111111-1111-1111-1111-111111111111', 'api://11111111-1111-1111-1111-111111111111'],
          jwks: { remote: { backendRef: { group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'entra-jwks' }, jwksPath: `/${tenant}/discovery/v2.0/keys` } },
        },
      ],
      mcp: {
        provider: 'Entra',
        clientId: '33333333-3333-3333-3333-333333333333',
        resourceMetadata: { scopesSupported: ['api://11111111-1111-1111-1111-111111111111/mcp.access'], bearerMethodsSupported: ['header'] },
      },
    });
  });

  it('refuses a delegated token without the scope with 403 and the insufficient_scope challenge (CEL on the verified claims)', () => {
    const entry = insufficientScopeResponse(goodRegistry().auth) as any;
    // Application tokens carry no `scp` and cannot step up to a scope: the access rules decide for them.
    expect(entry.condition).toBe('has(jwt.scp) && !("mcp.access" in jwt.scp.split(" "))');
    expect(entry.policy.status).toBe(403);
    expect(JSON.parse(entry.policy.body)).toEqual({ error: 'insufficient_scope', error_description: 'the access token lacks the scope mcp.access' });
    const challenge = entry.policy.headers.find((h: any) => h.name === 'www-authenticate').value;
    expect(challenge).toContain('scope="api://11111111-1111-1111-1111-111111111111/mcp.access"');
    expect(challenge).toContain('"/.well-known/oauth-protected-resource" + request.path');
  });

  it('leaves direct responses to the routes\' access policies (a route keeps one directResponse)', () => {
    for (const policy of renderAuthPolicies(goodRegistry(), ['a']) as any[]) expect(policy.spec.traffic.directResponse).toBeUndefined();
  });

  it('puts the sign-in flow in every policy of a split', () => {
    const policies = renderAuthPolicies(goodRegistry(), Array.from({ length: 17 }, (_, i) => `r${i}`)) as any[];
    expect(policies).toHaveLength(2);
    expect(policies[1].spec.traffic.jwtAuthentication.mcp).toEqual(policies[0].spec.traffic.jwtAuthentication.mcp);
  });

  it('splits 33 routes into policies of at most 16 that together cover every route once', () => {
    const routes = Array.from({ length: 33 }, (_, i) => `r${i}`);
    const policies = renderAuthPolicies(goodRegistry(), routes) as any[];
    expect(policies.map((p) => p.metadata.name)).toEqual(['azure-mcp-authn-policy', 'azure-mcp-authn-policy-2', 'azure-mcp-authn-policy-3']);
    expect(policies.map((p) => p.spec.targetRefs.length)).toEqual([16, 16, 1]);
    expect(policies.flatMap((p) => p.spec.targetRefs.map((t: any) => t.name))).toEqual(routes);
  });

  it('renders no policy without routes (targetRefs may not be empty)', () => {
    expect(renderAuthPolicies(goodRegistry(), [])).toEqual([]);
  });
});
