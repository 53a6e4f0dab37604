import { describe, expect, it } from 'vitest';
import { renderBackend, renderHeadlessService, renderServerNetworkPolicy, renderServerRoute, renderServerService } from '../../src/render/server-routing.ts';
import { fixtureRegistry, goodRegistry } from '../helpers.ts';

const registry = goodRegistry();
const server = (name: string) => registry.servers.find((s) => s.name === name)!;
const ns = 'agentgateway-system';

describe('renderServerService', () => {
  it('exposes port 8000 named http with the MCP appProtocol', () => {
    const service = renderServerService(server('mcp-example'), ns) as any;
    expect(service.metadata.name).toBe('mcp-example-service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP', appProtocol: 'agentgateway.dev/mcp' }]);
  });

  it('adds a headless Service only for a StatefulSet', () => {
    expect((renderHeadlessService(server('mcp-hubspot'), ns) as any).spec.clusterIP).toBe('None');
    expect(renderHeadlessService(server('mcp-example'), ns)).toBeUndefined();
  });
});

describe('renderBackend', () => {
  it('has one static StreamableHTTP target at the Service DNS name', () => {
    const backend = renderBackend(server('mcp-mssql'), ns) as any;
    expect(backend.metadata.name).toBe('mcp-mssql-backend');
    expect(backend.spec).toEqual({
      mcp: {
        targets: [
          { name: 'mcp-mssql', static: { host: 'mcp-mssql-service.agentgateway-system.svc.cluster.local', port: 8000, protocol: 'StreamableHTTP', path: '/mcp' } },
        ],
      },
    });
  });
});

describe('renderServerRoute', () => {
  it('routes PathPrefix /mcp/<name> and its two sign-in discovery paths to the backend, with no timeouts and no rewrite', () => {
    const route = renderServerRoute(server('mcp-example'), registry) as any;
    expect(route.metadata.name).toBe('mcp-example');
    expect(route.spec.rules).toEqual([
      {
        name: 'mcp',
        matches: [
          { path: { type: 'PathPrefix', value: '/mcp/mcp-example' } },
          { path: { type: 'PathPrefix', value: '/.well-known/oauth-protected-resource/mcp/mcp-example' } },
          { path: { type: 'PathPrefix', value: '/.well-known/oauth-authorization-server/mcp/mcp-example' } },
        ],
        backendRefs: [{ group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: 'mcp-example-backend' }],
      },
    ]);
  });

  it('uses a registry routePath', () => {
    const fixture = fixtureRegistry();
    const full = fixture.servers.find((s) => s.name === 'mcp-full')!;
    expect((renderServerRoute(full, fixture) as any).spec.rules[0].matches.map((m: any) => m.path.value)).toEqual([
      '/mcp/full',
      '/.well-known/oauth-protected-resource/mcp/full',
      '/.well-known/oauth-authorization-server/mcp/full',
    ]);
  });
});

describe('renderServerNetworkPolicy', () => {
  it('admits only the gateway pods on the server port, and the scraper only on the metrics port', () => {
    const policy = renderServerNetworkPolicy(server('mcp-example'), registry) as any;
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-example', 'app.kubernetes.io/component': 'mcp-server' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway-proxy' } } }], ports: [{ protocol: 'TCP', port: 8000 }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9464 }] },
      ],
    });
  });
});
