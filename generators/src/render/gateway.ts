/** The Namespace (with Pod Security labels) and the Gateway every route attaches to. */
import { sourceOf } from './placed.ts';
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { edgeSecretName } from './edge.ts';
import { labels, metadata, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/**
 * The namespace, so its Pod Security labels are reviewed in git: enforce, warn and audit `restricted`. Every pod in
 * it meets the standard, the controller-made proxy pods too (their seccomp profile comes from the proxy's
 * AgentgatewayParameters; scripts/test/pod-security.test.ts checks each pod against the standard's controls).
 */
export function renderNamespace(registry: Registry): KubeObject {
  const ns: INamespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: registry.namespace,
      labels: {
        ...labels({ name: registry.namespace, component: 'namespace' }),
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  };
  return ns as KubeObject;
}

/**
 * Gateway `agentgateway-proxy`: the in-cluster listener `http` (gateway.port), the public `https` (443, TLS
 * terminated with the edge certificate) and `public-http` (80, which only redirects to https); routes from its own
 * namespace only; the proxy's parameters. The TLS listener has no hostname: one certificate covers edge.hosts.
 */
export function renderGateway(registry: Registry): KubeObject {
  // A new object per listener: one object used twice would be written as a YAML alias.
  const sameNamespace = () => ({ namespaces: { from: 'Same' as const } });
  const gateway: IGateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: metadata(registry.gateway.name, registry.namespace, { name: registry.gateway.name, component: 'gateway' }),
    spec: {
      gatewayClassName: FIXED.gatewayClass,
      infrastructure: { parametersRef: { group: 'agentgateway.dev', kind: 'AgentgatewayParameters', name: FIXED.proxyParameters } },
      listeners: [
        { name: FIXED.listener, protocol: 'HTTP', port: registry.gateway.port, allowedRoutes: sameNamespace() },
        {
          name: FIXED.httpsListener,
          protocol: 'HTTPS',
          port: FIXED.httpsPort,
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: edgeSecretName(registry) }] },
          allowedRoutes: sameNamespace(),
        },
        { name: FIXED.publicHttpListener, protocol: 'HTTP', port: FIXED.publicHttpPort, allowedRoutes: sameNamespace() },
      ],
    },
  };
  return gateway as unknown as KubeObject;
}

/** The parentRefs of every route that serves (the UI's, each server's): the in-cluster listener and HTTPS. */
export function gatewayParentRefs(registry: Registry): { group: string; kind: string; name: string; sectionName: string }[] {
  return [FIXED.listener, FIXED.httpsListener].map((sectionName) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: registry.gateway.name, sectionName }));
}
