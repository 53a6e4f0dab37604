/**
 * What Prometheus scrapes (Prometheus Operator PodMonitors, monitoring.coreos.com/v1): each MCP server and the UI on
 * their `metrics` port (METRICS_PORT: /metrics and nothing else), and the gateway's proxy pods on theirs. agentgateway
 * v1.4.1's proxy serves its metrics at :15020/metrics, the container port `metrics` of the pods the controller
 * deploys for a Gateway (controller/pkg/helm/agentgateway/templates/_helpers.tpl, and crates/agentgateway/src/config.rs
 * for the address), labelled `gateway.networking.k8s.io/gateway-name`. PodMonitors, not ServiceMonitors: the
 * proxy's Service carries only the listener ports, and the pods are what is scraped in every case.
 */
import { FIXED } from '../names.ts';
import type { Registry, Server } from '../registry/types.ts';
import { selectorLabels, labels, type Identity, type KubeObject } from './meta.ts';
import { sourceOf } from './placed.ts';
import { serverId } from './server-workload.ts';
import { uiId } from './ui-catalog.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

/** Port name and path of agentgateway v1.4.1's proxy metrics. */
export const GATEWAY_METRICS = { port: 'metrics', path: '/metrics', containerPort: 15020 } as const;

/**
 * Argo CD skips the dry run of these objects when their CRD is missing, so a cluster without the Prometheus Operator
 * (yet) still gets every other object of the Application, and only these wait and retry. An environment whose
 * cluster never has it adds overlays/components/without-prometheus-operator instead.
 */
export const OPERATOR_KIND_ANNOTATIONS = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } as const;

/** metadata of a Prometheus Operator object: the target's labels, the registry's objectLabels, the sync option. */
export function operatorMetadata(name: string, registry: Registry, id: Identity): KubeObject['metadata'] {
  return { name, namespace: registry.namespace, labels: { ...labels(id), ...registry.monitoring.objectLabels }, annotations: { ...OPERATOR_KIND_ANNOTATIONS } };
}

/** The Prometheus `job` label of each target: the pods' `app.kubernetes.io/name` (the server's name, `mcp-ui`). */
export const JOB_LABEL = 'app.kubernetes.io/name';

function podMonitor(registry: Registry, name: string, id: Identity, selector: Record<string, string>, port: string, jobLabel = JOB_LABEL): KubeObject {
  const { monitoring, namespace } = registry;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: operatorMetadata(name, registry, id),
    spec: {
      jobLabel,
      selector: { matchLabels: selector },
      namespaceSelector: { matchNames: [namespace] },
      podMetricsEndpoints: [{ port, path: '/metrics', interval: monitoring.scrapeInterval }],
    },
  };
}

/** PodMonitor `<name>`: the server's pods, port `metrics`. */
export function renderServerPodMonitor(server: Server, registry: Registry): KubeObject | undefined {
  if (!registry.monitoring.prometheusOperator) return undefined;
  const id = serverId(server);
  return podMonitor(registry, server.name, id, selectorLabels(id), 'metrics');
}

/** PodMonitor `mcp-ui`: the UI's pods, port `metrics`. */
export function renderUiPodMonitor(registry: Registry): KubeObject | undefined {
  if (!registry.monitoring.prometheusOperator) return undefined;
  const id = uiId(registry);
  return podMonitor(registry, FIXED.ui, id, selectorLabels(id), 'metrics');
}

/** PodMonitor `<gateway>`: the proxy pods of the Gateway, port `metrics` (15020). Their job label is the Gateway's name. */
export function renderGatewayPodMonitor(registry: Registry): KubeObject | undefined {
  if (!registry.monitoring.prometheusOperator) return undefined;
  const name = registry.gateway.name;
  return podMonitor(registry, name, { name, component: 'gateway' }, { [FIXED.gatewayPodLabel]: name }, GATEWAY_METRICS.port, FIXED.gatewayPodLabel);
}
