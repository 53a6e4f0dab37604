import { describe, expect, it } from 'vitest';
import { entraIssuer, insufficientScopeResponse, jwksPath, renderAuthPolicy, renderJwksBackend } from '../../src/render/auth-policy.ts';
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

describe('renderAuthPolicy', () => {
  it('renders one strict Entra policy over every HTTPRoute labelled as an MCP server', () => {
    const policy = renderAuthPolicy(goodRegistry()) as any;
    expect(policy.metadata.name).toBe('azure-mcp-authn-policy');
    expect(policy.spec.targetRefs).toBeUndefined();
    expect(policy.spec.targetSelectors).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', matchLabels: { 'app.kubernetes.io/component': 'mcp-server' } }]);
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

  it('renders the policy even without servers, so the first route is covered the moment it exists', () => {
    const registry = { ...goodRegistry(), servers: [] };
    expect((renderAuthPolicy(registry) as any).spec.targetSelectors).toHaveLength(1);
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
    expect((renderAuthPolicy(goodRegistry()) as any).spec.traffic.directResponse).toBeUndefined();
  });
});
