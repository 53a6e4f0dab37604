/**
 * AgentgatewayParameters `agentgateway-proxy`, which the Gateway names: the one set of settings of the proxy pods
 * and Service the controller makes. Environments patch this object (overlays/components/high-availability adds
 * replicas and a disruption budget); nothing replaces it. What each part is for:
 * - `logging`: one JSON object per line, which the audit trail is (audit-log.ts);
 * - `service`: the Service type from the registry's edge (edge.ts), ClusterIP unless a load balancer is asked for;
 * - `deployment`: the pod's RuntimeDefault seccomp profile, the one control of the `restricted` Pod Security
 *   Standard v1.4.1's pod template misses (controller/pkg/helm/agentgateway/templates/_helpers.tpl). The
 *   controller merges this overlay into its Deployment with a strategic merge patch, so the template's own
 *   security context (its sysctl) stays.
 */
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { PROXY_LOGGING } from './audit-log.ts';
import { proxyServiceOverlay } from './edge.ts';
import { metadata, type KubeObject } from './meta.ts';
import { sourceOf } from './placed.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

export function renderProxyParameters(registry: Registry): KubeObject {
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayParameters',
    metadata: metadata(FIXED.proxyParameters, registry.namespace, { name: FIXED.proxyParameters, component: 'gateway' }),
    spec: {
      logging: PROXY_LOGGING,
      service: proxyServiceOverlay(registry.edge.service),
      deployment: { spec: { template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } } } },
    },
  };
}
