import { describe, expect, it } from 'vitest';
import { gatewayParentRefs, renderGateway, renderNamespace } from '../../src/render/gateway.ts';
import { goodRegistry } from '../helpers.ts';

describe('renderGateway', () => {
  it('renders agentgateway-proxy with the in-cluster listener on 8080, HTTPS on 443 and the redirecting HTTP on 80, for routes of its namespace', () => {
    const gateway = renderGateway(goodRegistry()) as any;
    expect(gateway.metadata).toMatchObject({ name: 'agentgateway-proxy', namespace: 'agentgateway-system' });
    expect(gateway.spec).toEqual({
      gatewayClassName: 'agentgateway',
      infrastructure: { parametersRef: { group: 'agentgateway.dev', kind: 'AgentgatewayParameters', name: 'agentgateway-proxy' } },
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 8080, allowedRoutes: { namespaces: { from: 'Same' } } },
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'agentgateway-proxy-tls' }] },
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
        { name: 'public-http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } },
      ],
    });
    // Routes that serve attach to the in-cluster listener and to HTTPS, never to the redirecting port 80.
    expect(gatewayParentRefs(goodRegistry()).map((r) => r.sectionName)).toEqual(['http', 'https']);
  });
});

describe('renderNamespace', () => {
  it('enforces, warns and audits restricted (every pod in it, the proxy included, meets it)', () => {
    const ns = renderNamespace(goodRegistry());
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });
});
