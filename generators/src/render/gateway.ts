/** The Namespace (with Pod Security labels) and the Gateway every route attaches to. */
import { sourceOf } from './placed.ts';
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { labels, metadata, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/**
 * The namespace, so its Pod Security labels are reviewed in git: enforce `baseline` (the controller-made proxy
 * pods are not ours to harden), warn and audit `restricted` (every pod rendered here meets it).
 */
export function renderNamespace(registry: Registry): KubeObject {
  const ns: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: registry.namespace,
      labels: {
        ...labels({ name: registry.namespace, component: 'namespace' }),
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  };
  return ns as KubeObject;
}

/** Gateway `agentgateway-proxy`: one HTTP listener `http`; routes from its own namespace only; the proxy's parameters. */
export function renderGateway(registry: Registry): KubeObject {
  const gateway: IGateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: metadata(registry.gateway.name, registry.namespace, { name: registry.gateway.name, component: 'gateway' }),
    spec: {
      gatewayClassName: FIXED.gatewayClass,
      infrastructure: { parametersRef: { group: 'agentgateway.dev', kind: 'AgentgatewayParameters', name: FIXED.proxyParameters } },
      listeners: [{ name: FIXED.listener, protocol: 'HTTP', port: registry.gateway.port, allowedRoutes: { namespaces: { from: 'Same' } } }],
    },
  };
  return gateway as unknown as KubeObject;
}

/** The parentRefs entry of every HTTPRoute. */
export function gatewayParentRef(registry: Registry): { group: string; kind: string; name: string; sectionName: string } {
  return { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: registry.gateway.name, sectionName: FIXED.listener };
}
