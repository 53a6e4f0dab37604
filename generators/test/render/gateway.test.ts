import { describe, expect, it } from 'vitest';
import { gatewayParentRef, renderGateway, renderNamespace } from '../../src/render/gateway.ts';
import { goodRegistry } from '../helpers.ts';

describe('renderGateway', () => {
  it('renders agentgateway-proxy with one HTTP listener on 8080 for routes of its namespace, with JSON logs', () => {
    const gateway = renderGateway(goodRegistry()) as any;
    expect(gateway.metadata).toMatchObject({ name: 'agentgateway-proxy', namespace: 'agentgateway-system' });
    expect(gateway.spec).toEqual({
      gatewayClassName: 'agentgateway',
      infrastructure: { parametersRef: { group: 'agentgateway.dev', kind: 'AgentgatewayParameters', name: 'agentgateway-proxy' } },
      listeners: [{ name: 'http', protocol: 'HTTP', port: 8080, allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(gatewayParentRef(goodRegistry())).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'agentgateway-proxy', sectionName: 'http' });
  });
});

describe('renderNamespace', () => {
  it('enforces baseline and warns and audits restricted', () => {
    const ns = renderNamespace(goodRegistry());
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });
});
