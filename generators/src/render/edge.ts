/**
 * The public side of the Gateway (`edge`): HTTPS for the registry's host names with a certificate from cert-manager
 * or an existing Secret, plain HTTP that only redirects to HTTPS, the proxy's Service type, and a NetworkPolicy
 * that keeps the in-cluster listener (and the proxy's metrics) to pods of the cluster whatever the Service type.
 */
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { edgeTlsName, FIXED } from '../names.ts';
import type { EdgeService, Registry } from '../registry/types.ts';
import { metadata, type KubeObject } from './meta.ts';
import { sourceOf } from './placed.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

const EDGE_ID = { name: 'edge', component: 'gateway' };

/** The port of the proxy's metrics (v1.4.1's pod template, `containerPort: 15020`). */
export const PROXY_METRICS_PORT = 15020;

/** The Secret the HTTPS listener presents: the one cert-manager writes, or the one named in the registry. */
export function edgeSecretName(registry: Registry): string {
  return registry.edge.tls.secretName ?? edgeTlsName(registry.gateway.name);
}

/** The annotation that keeps a load balancer on the private network, per cloud. */
const INTERNAL_LB_ANNOTATIONS: Record<NonNullable<EdgeService['cloud']>, Record<string, string>> = {
  azure: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
  aws: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
  gcp: { 'networking.gke.io/load-balancer-type': 'Internal' },
};

/**
 * `AgentgatewayParameters.service`, the overlay on the Service the controller makes. Its template hard-codes
 * `type: LoadBalancer` (controller/pkg/helm/agentgateway/templates/service.yaml in v1.4.1), so the type is always
 * set: ClusterIP unless the registry asks for a load balancer.
 */
export function proxyServiceOverlay(service: EdgeService): { metadata?: { annotations: Record<string, string> }; spec: { type: string } } {
  const internal = service.type === 'InternalLoadBalancer' ? INTERNAL_LB_ANNOTATIONS[service.cloud!] : {};
  const annotations = { ...service.annotations, ...internal };
  const spec = { type: service.type === 'ClusterIP' ? 'ClusterIP' : 'LoadBalancer' };
  return Object.keys(annotations).length > 0 ? { metadata: { annotations }, spec } : { spec };
}

/** cert-manager Certificate `<gateway>-tls` for edge.hosts, when the registry names an issuer; undefined otherwise. */
export function renderEdgeCertificate(registry: Registry): KubeObject | undefined {
  const certManager = registry.edge.tls.certManager;
  if (!certManager) return undefined;
  const name = edgeTlsName(registry.gateway.name);
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: metadata(name, registry.namespace, EDGE_ID),
    spec: {
      secretName: name,
      dnsNames: [...registry.edge.hosts],
      issuerRef: { group: 'cert-manager.io', kind: certManager.issuer.kind, name: certManager.issuer.name },
      // A new key at every renewal, so a leaked key stops working at the next one.
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      ...(certManager.renewBefore ? { renewBefore: certManager.renewBefore } : {}),
    },
  };
}

/** HTTPRoute `https-redirect` on the public HTTP listener: every request to an edge host gets 301 to https. */
export function renderHttpsRedirectRoute(registry: Registry): KubeObject {
  const route: IHTTPRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: metadata(FIXED.httpsRedirectRoute, registry.namespace, EDGE_ID),
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: registry.gateway.name, sectionName: FIXED.publicHttpListener }],
      hostnames: [...registry.edge.hosts],
      rules: [{ name: 'https', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    },
  };
  return route as unknown as KubeObject;
}

/**
 * Ingress of the proxy pods: the public listeners from anywhere, the in-cluster listener and the metrics only from
 * pods of the cluster. A LoadBalancer Service exposes every listener port; this keeps plain HTTP with tokens
 * (8080) off it. Traffic from a load balancer does not come from a pod, so it reaches only 80 and 443.
 */
export function renderProxyNetworkPolicy(registry: Registry): KubeObject {
  const tcp = (port: number) => ({ protocol: 'TCP' as const, port });
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(registry.gateway.name, registry.namespace, { name: registry.gateway.name, component: 'gateway' }),
    spec: {
      podSelector: { matchLabels: { [FIXED.gatewayPodLabel]: registry.gateway.name } },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [tcp(FIXED.httpsPort), tcp(FIXED.publicHttpPort)] },
        { from: [{ namespaceSelector: {} }], ports: [tcp(registry.gateway.port), tcp(PROXY_METRICS_PORT)] },
      ],
    },
  };
  return policy as KubeObject;
}
