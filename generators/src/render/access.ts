/**
 * NetworkPolicy (only the gateway may connect, and the scraper only to the metrics port) and PodDisruptionBudget,
 * shared by the UI and the servers.
 */
import { sourceOf } from './placed.ts';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { FIXED } from '../names.ts';
import type { Monitoring } from '../registry/types.ts';
import { metadata, selectorLabels, type Identity, type KubeObject } from './meta.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/**
 * Admits ingress to the selected pods only from the gateway's proxy pods, on the serving port, and from the
 * scraper's pods (Prometheus, in its namespace) on the metrics port, which serves /metrics and nothing else.
 */
export function gatewayOnlyIngress(name: string, namespace: string, gatewayName: string, port: number, id: Identity, monitoring: Monitoring): KubeObject {
  const { scraper, metricsPort } = monitoring;
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(name, namespace, id),
    spec: {
      podSelector: { matchLabels: selectorLabels(id) },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { [FIXED.gatewayPodLabel]: gatewayName } } }],
          ports: [{ protocol: 'TCP', port }],
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': scraper.namespace } }, podSelector: { matchLabels: scraper.podLabels } }],
          ports: [{ protocol: 'TCP', port: metricsPort }],
        },
      ],
    },
  };
  return policy as KubeObject;
}

/** A PodDisruptionBudget allowing one pod down at a time; only when there is more than one replica. */
export function disruptionBudget(name: string, namespace: string, replicas: number, id: Identity): KubeObject | undefined {
  if (replicas <= 1) return undefined;
  const pdb: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(name, namespace, id),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(id) } },
  };
  return pdb as KubeObject;
}
