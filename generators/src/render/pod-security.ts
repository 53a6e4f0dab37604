/** Hardening shared by every pod: non-root numeric user, read-only root, no privilege, RuntimeDefault seccomp. */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { Resources } from '../registry/types.ts';

/** Pod-level security context for a numeric user (group = user). */
export function podSecurityContext(uid: number): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context (restricted Pod Security Standard). */
export function containerSecurityContext(uid: number): NonNullable<IContainer['securityContext']> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The writable `/tmp` of a read-only root filesystem. */
export const TMP_VOLUME: IVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
export const TMP_MOUNT: IVolumeMount = { name: 'tmp', mountPath: '/tmp' };

/** A Secret volume, readable by the pod's group only. */
export function secretVolume(volumeName: string, secretName: string): IVolume {
  return { name: volumeName, secret: { secretName, defaultMode: 0o440 } };
}

/** Requests and limits as the container field. */
export function containerResources(resources: Resources): NonNullable<IContainer['resources']> {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
  };
}

/** Readiness on `/readyz` and liveness on `/healthz`, both on the named port `http`. */
export function httpProbes(): Pick<IContainer, 'readinessProbe' | 'livenessProbe'> {
  const probe = (path: string, period: number, failures: number): IProbe => ({
    httpGet: { path, port: 'http' },
    periodSeconds: period,
    timeoutSeconds: 2,
    failureThreshold: failures,
  });
  return { readinessProbe: { ...probe('/readyz', 10, 3), initialDelaySeconds: 2 }, livenessProbe: { ...probe('/healthz', 20, 3), initialDelaySeconds: 5 } };
}
