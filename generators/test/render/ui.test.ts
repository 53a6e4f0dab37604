import { describe, expect, it } from 'vitest';
import { catalog, renderUi, renderUiRoute, uiEnv } from '../../src/render/ui.ts';
import { find, goodRegistry } from '../helpers.ts';

describe('uiEnv', () => {
  it('renders the variables docs/contracts.md lists for mcp-ui', () => {
    expect(uiEnv(goodRegistry())).toEqual([
      { name: 'PORT', value: '3000' },
      { name: 'METRICS_PORT', value: '9464' },
      { name: 'PUBLIC_URL', value: 'https://mcp.example.com' },
      { name: 'OIDC_ISSUER', value: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0' },
      { name: 'OIDC_CLIENT_ID', value: '22222222-2222-2222-2222-222222222222' },
      { name: 'OIDC_CLIENT_SECRET_FILE', value: '/var/run/secrets/mcp-ui/client-secret' },
      { name: 'OIDC_SCOPES', value: 'openid profile offline_access api://11111111-1111-1111-1111-111111111111/mcp.access' },
      { name: 'SESSION_KEY_FILE', value: '/var/run/secrets/mcp-ui/session-key' },
      { name: 'GATEWAY_URL', value: 'http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080' },
      { name: 'CATALOG_FILE', value: '/etc/mcp-ui/catalog.json' },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=96 --max-semi-space-size=16' },
      { name: 'SESSION_STORE_URL', value: 'rediss://mcp-ui@sessions.redis.example.internal:6380' },
      { name: 'SESSION_STORE_PASSWORD_FILE', value: '/var/run/secrets/mcp-ui-session-store/password' },
    ]);
  });

  it('names no session store for the in-memory one, and the CA file when the registry names a CA Secret', () => {
    const memory = { ...goodRegistry(), ui: { ...goodRegistry().ui, replicas: 1, sessionStore: { type: 'memory' as const } } };
    expect(uiEnv(memory).map((v) => v.name)).not.toContain('SESSION_STORE_URL');
    const registry = goodRegistry();
    const withCa = { ...registry, ui: { ...registry.ui, sessionStore: { ...(registry.ui.sessionStore as any), caSecret: { name: 'redis-ca', key: 'ca.crt' } } } };
    expect(uiEnv(withCa).at(-1)).toEqual({ name: 'SESSION_STORE_CA_FILE', value: '/var/run/secrets/mcp-ui-session-store-ca/ca.crt' });
    const pod = (find(renderUi(withCa).map((p) => p.object), 'Deployment', 'mcp-ui') as any).spec.template.spec;
    expect(pod.volumes.map((v: any) => v.secret?.secretName).filter(Boolean)).toEqual(['mcp-ui-oidc', 'mcp-ui-session-store', 'redis-ca']);
  });
});

describe('catalog', () => {
  it('lists every server with its description and public path', () => {
    expect(catalog(goodRegistry()).servers.map((s) => [s.name, s.path])).toEqual([
      ['mcp-example', '/mcp/mcp-example'],
      ['mcp-hubspot', '/mcp/mcp-hubspot'],
      ['mcp-mssql', '/mcp/mcp-mssql'],
    ]);
  });

  it('gives each server the version the registry deploys: its image tag, none for a digest', () => {
    const registry = goodRegistry();
    registry.servers[0]!.image = 'ghcr.io/example/mcp-gateway/mcp-example:1.0.0';
    registry.servers[1]!.image = 'ghcr.io/example/mcp-gateway/mcp-hubspot@sha256:' + 'a'.repeat(64);
    const servers = catalog(registry).servers;
    expect(servers[0]!.version).toBe('1.0.0');
    expect(servers[1]).not.toHaveProperty('version');
  });
});

describe('renderUiRoute', () => {
  it('rewrites /ui to / and passes /auth unchanged, both to mcp-ui-service:3000', () => {
    const route = renderUiRoute(goodRegistry()) as any;
    expect(route.metadata.name).toBe('mcp-ui');
    const [ui, auth] = route.spec.rules;
    expect(ui.matches).toEqual([{ path: { type: 'PathPrefix', value: '/ui' } }]);
    expect(ui.filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
    expect(auth.matches).toEqual([{ path: { type: 'PathPrefix', value: '/auth' } }]);
    expect(auth.filters).toBeUndefined();
    for (const rule of route.spec.rules) expect(rule.backendRefs).toEqual([{ group: '', kind: 'Service', name: 'mcp-ui-service', port: 3000 }]);
  });
});

describe('renderUi', () => {
  const objects = renderUi(goodRegistry()).map((p) => p.object);

  it('mounts the catalog ConfigMap, the OIDC Secret and the session store password Secret as files', () => {
    const deployment = find(objects, 'Deployment', 'mcp-ui');
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'catalog', configMap: { name: 'mcp-ui-catalog', defaultMode: 0o444 } },
      { name: 'oidc', secret: { secretName: 'mcp-ui-oidc', defaultMode: 0o440 } },
      { name: 'session-store', secret: { secretName: 'mcp-ui-session-store', defaultMode: 0o440 } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'session-store', mountPath: '/var/run/secrets/mcp-ui-session-store', readOnly: true });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    expect(pod.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
    expect(deployment.spec.template.metadata.annotations['mcp-gateway/catalog-hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('renders catalog.json in the contract format', () => {
    const data = JSON.parse(find(objects, 'ConfigMap', 'mcp-ui-catalog').data['catalog.json']);
    expect(data).toEqual(catalog(goodRegistry()));
  });

  it('serves port 3000, admits only the gateway pods there and the scraper to the metrics port', () => {
    expect(find(objects, 'Service', 'mcp-ui-service').spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
    expect(find(objects, 'NetworkPolicy', 'mcp-ui').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway-proxy' } } }], ports: [{ protocol: 'TCP', port: 3000 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9464 }] },
    ]);
    expect(find(objects, 'PodDisruptionBudget', 'mcp-ui').spec.maxUnavailable).toBe(1);
  });
});
