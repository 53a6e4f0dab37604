/** A server's pods: ServiceAccount, Deployment or StatefulSet (env and mounts per docs/contracts.md), PodDisruptionBudget. */
import { sourceOf } from './placed.ts';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { FIXED, serverNames, serviceHost } from '../names.ts';
import type { Server, ServerEntry } from '../registry/types.ts';
import { disruptionBudget } from './access.ts';
import { labels, metadata, selectorLabels, type Identity, type KubeObject } from './meta.ts';
import { defaultInflightBytes, nodeOptions } from './node-runtime.ts';
import { containerResources, containerSecurityContext, httpProbes, podSecurityContext, secretVolume, TMP_MOUNT, TMP_VOLUME } from './pod-security.ts';
import { TOOL_LOCK_ANNOTATION, TOOL_LOCK_FILE, TOOL_LOCK_MOUNT, TOOL_LOCK_PATHS, toolLockVolume } from './tool-lock.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** Labels identity of a server's objects. */
export const serverId = (server: Server): Identity => ({ name: server.name, component: FIXED.serverComponent, image: server.image });

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Host names a request to the server may carry: the Service's DNS names, short to fully qualified. */
export function allowedHosts(server: Pick<Server, 'name'>, namespace: string): string[] {
  const service = serverNames(server.name).service;
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, serviceHost(service, namespace)];
}

/** Volume names of the secret mounts: the Secret name when it is a free DNS label, else `secret-<index>`. */
export function secretVolumeNames(server: Server): string[] {
  const used = new Set(['tmp', TOOL_LOCK_PATHS.volume]);
  return server.secretMounts.map((mount, i) => {
    const name = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(mount.secretName) && !used.has(mount.secretName) ? mount.secretName : `secret-${i}`;
    used.add(name);
    return name;
  });
}

/** The container environment: generated variables (heap and in-flight bounds from the memory limit, the tool lock), then the registry's `env`, then one `*_FILE` path per Secret key. */
export function serverEnv(server: ServerEntry, namespace: string, metricsPort: number): { name: string; value: string }[] {
  const plain = Object.keys(server.env).sort(byName).map((name) => ({ name, value: server.env[name]! }));
  const files = server.secretMounts
    .flatMap((mount) => Object.entries(mount.env).map(([name, key]) => ({ name, value: `${mount.mountPath}/${key}` })))
    .sort((a, b) => byName(a.name, b.name));
  return [
    { name: 'PORT', value: String(server.port) },
    { name: 'METRICS_PORT', value: String(metricsPort) },
    { name: 'MCP_PATH', value: server.path },
    { name: 'MCP_ALLOWED_HOSTS', value: allowedHosts(server, namespace).join(',') },
    { name: 'MCP_MAX_INFLIGHT_REQUESTS', value: String(server.inflight.requests) },
    { name: 'MCP_MAX_INFLIGHT_BYTES', value: String(server.inflight.bytes ?? defaultInflightBytes(server.resources.limits.memory)) },
    { name: 'NODE_OPTIONS', value: nodeOptions(server.resources.limits.memory) },
    { name: 'MCP_TOOL_LOCK_FILE', value: TOOL_LOCK_FILE },
    ...plain,
    ...files,
  ];
}

export function serverPodTemplate(server: Server, namespace: string, metricsPort: number): IPodTemplateSpec {
  const volumeNames = secretVolumeNames(server);
  const secretVolumes: IVolume[] = server.secretMounts.map((m, i) => secretVolume(volumeNames[i]!, m.secretName));
  const secretMounts: IVolumeMount[] = server.secretMounts.map((m, i) => ({ name: volumeNames[i]!, mountPath: m.mountPath, readOnly: true }));
  return {
    metadata: { labels: labels(serverId(server)), annotations: { [TOOL_LOCK_ANNOTATION]: server.toolLock.digest } },
    spec: {
      serviceAccountName: serverNames(server.name).serviceAccount,
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(server.runAsUser),
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'server',
          image: server.image,
          imagePullPolicy: 'IfNotPresent',
          ports: [
            { name: 'http', containerPort: server.port, protocol: 'TCP' },
            { name: 'metrics', containerPort: metricsPort, protocol: 'TCP' },
          ],
          env: serverEnv(server, namespace, metricsPort),
          ...httpProbes(),
          resources: containerResources(server.resources),
          securityContext: containerSecurityContext(server.runAsUser),
          volumeMounts: [...secretMounts, TOOL_LOCK_MOUNT, TMP_MOUNT],
        },
      ],
      volumes: [...secretVolumes, toolLockVolume(server), TMP_VOLUME],
    },
  };
}

/** The Deployment or StatefulSet `<name>`. A StatefulSet names its headless Service `<name>-headless`. */
export function renderWorkload(server: Server, namespace: string, metricsPort: number): KubeObject {
  const id = serverId(server);
  const names = serverNames(server.name);
  const common = {
    replicas: server.replicas,
    revisionHistoryLimit: 3,
    selector: { matchLabels: selectorLabels(id) },
    template: serverPodTemplate(server, namespace, metricsPort),
  };
  if (server.workload === 'StatefulSet') {
    const statefulSet: IStatefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: metadata(names.workload, namespace, id),
      spec: { serviceName: names.headlessService, podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate' }, ...common },
    };
    return statefulSet as KubeObject;
  }
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(names.workload, namespace, id),
    spec: { ...common, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } },
  };
  return deployment as KubeObject;
}

/** The server's own ServiceAccount, without an API token. */
export function renderServerServiceAccount(server: Server, namespace: string): KubeObject {
  const sa: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(serverNames(server.name).serviceAccount, namespace, serverId(server)),
    automountServiceAccountToken: false,
  };
  return sa as KubeObject;
}

export function renderServerDisruptionBudget(server: Server, namespace: string): KubeObject | undefined {
  return disruptionBudget(server.name, namespace, server.replicas, serverId(server));
}

/** File name of the workload under `base/servers/<name>/`. */
export const workloadFile = (server: Server): string => (server.workload === 'StatefulSet' ? 'statefulset.yaml' : 'deployment.yaml');
