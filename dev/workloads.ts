/**
 * Finds, in rendered manifests, the workloads the dev stack can run on this machine: a Deployment or
 * StatefulSet whose image was built from a folder in apps/ (the image's last path segment names the folder).
 * For each it reads what the cluster would give the container: its environment, the Secret and ConfigMap
 * volumes and where they are mounted, its port, and the Services that select its pods. Pure.
 */
import type { KubeObject } from './gateway/manifests.ts';

export interface VolumeMountPlan {
  mountPath: string;
  source: { kind: 'Secret'; name: string } | { kind: 'ConfigMap'; name: string; data: Record<string, string> } | { kind: 'EmptyDir' };
}

export interface LocalWorkload {
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  /** apps/<folder> the image is built from. */
  app: string;
  containerPort: number;
  env: Record<string, string>;
  mounts: VolumeMountPlan[];
  /** Names of the Services whose selector matches the pod labels. */
  services: string[];
}

export function appOfImage(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.split('/').pop()!;
  return lastSegment.split(':')[0]!;
}

export function readLocalWorkloads(objects: KubeObject[], availableApps: Set<string>): LocalWorkload[] {
  const workloads: LocalWorkload[] = [];
  for (const object of objects) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') continue;
    const pod = object.spec?.template;
    const container = pod?.spec?.containers?.[0];
    if (!container?.image) continue;
    const app = appOfImage(container.image);
    if (!availableApps.has(app)) continue;
    const namespace = object.metadata.namespace ?? 'default';
    workloads.push({
      name: object.metadata.name,
      kind: object.kind,
      app,
      containerPort: container.ports?.[0]?.containerPort ?? 8000,
      env: containerEnv(container, { namespace, podName: `${object.metadata.name}-0` }),
      mounts: readMounts(objects, pod.spec.volumes ?? [], container.volumeMounts ?? []),
      services: servicesSelecting(objects, namespace, pod.metadata?.labels ?? {}),
    });
  }
  return workloads;
}

/** A container's environment as the kubelet resolves it (literal values and the downward API fields used here). */
export function containerEnv(container: any, pod: { namespace: string; podName: string }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (typeof variable.value === 'string') values[variable.name] = variable.value;
    const field = variable.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.namespace') values[variable.name] = pod.namespace;
    if (field === 'metadata.name') values[variable.name] = pod.podName;
  }
  return values;
}

function readMounts(objects: KubeObject[], volumes: any[], volumeMounts: any[]): VolumeMountPlan[] {
  return volumeMounts.map((mount) => {
    const volume = volumes.find((v) => v.name === mount.name);
    if (volume?.secret) return { mountPath: mount.mountPath, source: { kind: 'Secret', name: volume.secret.secretName } };
    if (volume?.configMap) {
      const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name);
      if (!configMap) throw new Error(`volume ${mount.name} mounts ConfigMap ${volume.configMap.name}, which is not rendered`);
      return { mountPath: mount.mountPath, source: { kind: 'ConfigMap', name: configMap.metadata.name, data: (configMap.data ?? {}) as Record<string, string> } };
    }
    return { mountPath: mount.mountPath, source: { kind: 'EmptyDir' } };
  });
}

function servicesSelecting(objects: KubeObject[], namespace: string, labels: Record<string, string>): string[] {
  return objects
    .filter((o) => o.kind === 'Service' && (o.metadata.namespace ?? 'default') === namespace)
    .filter((service) => {
      const selector: Record<string, string> = service.spec?.selector ?? {};
      const keys = Object.keys(selector);
      return keys.length > 0 && keys.every((key) => labels[key] === selector[key]);
    })
    .map((service) => service.metadata.name);
}

/** Service name of a cluster DNS host (`<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>` or `<svc>`). */
export function serviceOfHost(host: string): string {
  return host.split('.')[0]!;
}

/** Rewrites a container path under one of the mounts to the local folder that stands in for it. */
export function remapPath(value: string, mountDirs: Map<string, string>): string {
  for (const [mountPath, localDir] of mountDirs) {
    if (value === mountPath || value.startsWith(`${mountPath}/`)) return localDir + value.slice(mountPath.length);
  }
  return value;
}
