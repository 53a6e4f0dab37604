/**
 * The gateway's OpenTelemetry tracing, turned on by `monitoring.tracing` in the registry: an AgentgatewayPolicy with
 * `frontend.tracing` on the Gateway, exporting spans over OTLP to the collector's Service. agentgateway v1.4.1
 * translates each frontend field of a policy into a policy of its own (controller/pkg/agentgateway/plugins/
 * frontend_policies.go), so this one stands beside the access-log policy on the same Gateway.
 */
import type { Registry } from '../registry/types.ts';
import { metadata, type KubeObject } from './meta.ts';
import { sourceOf } from './placed.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

export const TRACING_POLICY = 'mcp-tracing';

/** AgentgatewayPolicy `mcp-tracing`, or nothing when the registry names no collector. */
export function renderTracingPolicy(registry: Registry): KubeObject | undefined {
  const tracing = registry.monitoring.tracing;
  if (!tracing) return undefined;
  const namespace = tracing.namespace ?? registry.namespace;
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(TRACING_POLICY, registry.namespace, { name: TRACING_POLICY, component: 'gateway' }),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: registry.gateway.name }],
      frontend: {
        tracing: {
          backendRef: { group: '', kind: 'Service', name: tracing.service, ...(namespace !== registry.namespace && { namespace }), port: tracing.port },
          protocol: tracing.protocol,
          randomSampling: String(tracing.randomSampling),
        },
      },
    },
  };
}
