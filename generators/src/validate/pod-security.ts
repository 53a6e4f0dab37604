/**
 * The Kubernetes `restricted` Pod Security Standard as rules, one per control of the published list
 * (kubernetes.io, "Pod Security Standards", the Baseline controls and the Restricted ones on top; policy version
 * v1.32), each reading the field paths the standard names. `checkPodSecurity` applies them to every pod template the
 * objects carry (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods).
 */
import type { Problem } from '../registry/types.ts';
import { objectRef, type KubeObject } from '../render/meta.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** A pod as the rules read it: its metadata (annotations) and spec. */
export interface PodShape {
  metadata?: { annotations?: Record<string, string> };
  spec: Any;
}

/** One control of the standard: its name, profile, and what is wrong with a pod (empty when it passes). */
export interface Control {
  name: string;
  profile: 'baseline' | 'restricted';
  check(pod: PodShape): string[];
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Every container of the pod with the path the standard uses for it (`spec.containers[*]` and the others). */
function containers(pod: PodShape): { path: string; container: Any }[] {
  return CONTAINER_LISTS.flatMap((list) => ((pod.spec?.[list] ?? []) as Any[]).map((container, i) => ({ path: `spec.${list}[${i}]`, container })));
}

/** A value of the container's securityContext and of the pod's, for the controls that read both. */
function bothLevels(pod: PodShape, read: (sc: Any) => unknown): { path: string; value: unknown }[] {
  return [
    { path: 'spec.securityContext', value: read(pod.spec?.securityContext ?? {}) },
    ...containers(pod).map(({ path, container }) => ({ path: `${path}.securityContext`, value: read(container.securityContext ?? {}) })),
  ];
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** The controls of the Baseline profile, then those Restricted adds (the order of the published tables). */
export const RESTRICTED_CONTROLS: Control[] = [
  {
    name: 'HostProcess',
    profile: 'baseline',
    check: (pod) => bothLevels(pod, (sc) => sc.windowsOptions?.hostProcess).filter((v) => v.value === true).map((v) => `${v.path}.windowsOptions.hostProcess is true`),
  },
  {
    name: 'Host Namespaces',
    profile: 'baseline',
    check: (pod) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec?.[f] === true).map((f) => `spec.${f} is true`),
  },
  {
    name: 'Privileged Containers',
    profile: 'baseline',
    check: (pod) => containers(pod).filter(({ container }) => container.securityContext?.privileged === true).map(({ path }) => `${path}.securityContext.privileged is true`),
  },
  {
    name: 'Capabilities (baseline)',
    profile: 'baseline',
    check: (pod) =>
      containers(pod).flatMap(({ path, container }) =>
        ((container.securityContext?.capabilities?.add ?? []) as string[]).filter((c) => !BASELINE_CAPABILITIES.has(c)).map((c) => `${path}.securityContext.capabilities.add has ${c}`),
      ),
  },
  {
    name: 'HostPath Volumes',
    profile: 'baseline',
    check: (pod) => ((pod.spec?.volumes ?? []) as Any[]).flatMap((v, i) => (v.hostPath !== undefined ? [`spec.volumes[${i}].hostPath is set`] : [])),
  },
  {
    name: 'Host Ports',
    profile: 'baseline',
    check: (pod) =>
      containers(pod).flatMap(({ path, container }) =>
        ((container.ports ?? []) as Any[]).flatMap((p, i) => (p.hostPort !== undefined && p.hostPort !== 0 ? [`${path}.ports[${i}].hostPort is ${p.hostPort}`] : [])),
      ),
  },
  {
    name: 'AppArmor',
    profile: 'baseline',
    check: (pod) => [
      ...bothLevels(pod, (sc) => sc.appArmorProfile?.type)
        .filter((v) => v.value !== undefined && v.value !== 'RuntimeDefault' && v.value !== 'Localhost')
        .map((v) => `${v.path}.appArmorProfile.type is ${String(v.value)}`),
      ...Object.entries(pod.metadata?.annotations ?? {})
        .filter(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/'))
        .map(([k, v]) => `metadata.annotations["${k}"] is ${v}`),
    ],
  },
  {
    name: 'SELinux',
    profile: 'baseline',
    check: (pod) =>
      bothLevels(pod, (sc) => sc.seLinuxOptions).flatMap(({ path, value }) => {
        const options = (value ?? {}) as Any;
        return [
          ...(options.type !== undefined && !SELINUX_TYPES.has(options.type) ? [`${path}.seLinuxOptions.type is ${options.type}`] : []),
          ...(['user', 'role'] as const).filter((f) => options[f] !== undefined && options[f] !== '').map((f) => `${path}.seLinuxOptions.${f} is set`),
        ];
      }),
  },
  {
    name: '/proc Mount Type',
    profile: 'baseline',
    check: (pod) =>
      containers(pod).filter(({ container }) => ![undefined, 'Default'].includes(container.securityContext?.procMount)).map(({ path, container }) => `${path}.securityContext.procMount is ${container.securityContext.procMount}`),
  },
  {
    name: 'Seccomp (baseline)',
    profile: 'baseline',
    check: (pod) => bothLevels(pod, (sc) => sc.seccompProfile?.type).filter((v) => v.value === 'Unconfined').map((v) => `${v.path}.seccompProfile.type is Unconfined`),
  },
  {
    name: 'Sysctls',
    profile: 'baseline',
    check: (pod) => ((pod.spec?.securityContext?.sysctls ?? []) as Any[]).filter((s) => !SAFE_SYSCTLS.has(s.name)).map((s) => `spec.securityContext.sysctls has ${s.name}`),
  },
  {
    name: 'Volume Types',
    profile: 'restricted',
    check: (pod) =>
      ((pod.spec?.volumes ?? []) as Any[]).flatMap((v, i) => {
        const kinds = Object.keys(v).filter((k) => k !== 'name');
        return kinds.filter((k) => !RESTRICTED_VOLUME_TYPES.has(k)).map((k) => `spec.volumes[${i}] is of type ${k}`);
      }),
  },
  {
    name: 'Privilege Escalation',
    profile: 'restricted',
    check: (pod) =>
      containers(pod).filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false).map(({ path }) => `${path}.securityContext.allowPrivilegeEscalation is not false`),
  },
  {
    name: 'Running as Non-root',
    profile: 'restricted',
    check: (pod) => {
      const podLevel = pod.spec?.securityContext?.runAsNonRoot;
      const problems = podLevel === false ? ['spec.securityContext.runAsNonRoot is false'] : [];
      for (const { path, container } of containers(pod)) {
        const value = container.securityContext?.runAsNonRoot;
        if (value === false || (value === undefined && podLevel !== true)) problems.push(`${path}.securityContext.runAsNonRoot is not true (nor set true for the pod)`);
      }
      return problems;
    },
  },
  {
    name: 'Running as Non-root user',
    profile: 'restricted',
    check: (pod) => bothLevels(pod, (sc) => sc.runAsUser).filter((v) => v.value === 0).map((v) => `${v.path}.runAsUser is 0`),
  },
  {
    name: 'Seccomp (restricted)',
    profile: 'restricted',
    check: (pod) => {
      const allowed = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';
      const podType = pod.spec?.securityContext?.seccompProfile?.type;
      const problems = podType !== undefined && !allowed(podType) ? [`spec.securityContext.seccompProfile.type is ${String(podType)}`] : [];
      for (const { path, container } of containers(pod)) {
        const type = container.securityContext?.seccompProfile?.type;
        if (type === undefined ? !allowed(podType) : !allowed(type)) problems.push(`${path}.securityContext.seccompProfile.type is ${type === undefined ? 'not set (nor for the pod)' : String(type)}`);
      }
      return problems;
    },
  },
  {
    name: 'Capabilities (restricted)',
    profile: 'restricted',
    check: (pod) =>
      containers(pod).flatMap(({ path, container }) => {
        const capabilities = container.securityContext?.capabilities ?? {};
        return [
          ...(((capabilities.drop ?? []) as string[]).includes('ALL') ? [] : [`${path}.securityContext.capabilities.drop does not include ALL`]),
          ...((capabilities.add ?? []) as string[]).filter((c) => c !== 'NET_BIND_SERVICE').map((c) => `${path}.securityContext.capabilities.add has ${c}`),
        ];
      }),
  },
];

/** What of `pod` breaks the restricted standard, each line naming the control. */
export function restrictedProblems(pod: PodShape): string[] {
  return RESTRICTED_CONTROLS.flatMap((control) => control.check(pod).map((message) => `${control.name}: ${message}`));
}

/** The pod template an object carries, if any. */
export function podTemplateOf(object: KubeObject): PodShape | undefined {
  const spec = object.spec as Any;
  switch (object.kind) {
    case 'Pod':
      return { metadata: object.metadata, spec };
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template;
    default:
      return undefined;
  }
}

/** Every pod template of `objects` checked against the restricted standard. */
export function checkPodSecurity(objects: KubeObject[]): Problem[] {
  return objects.flatMap((object) => {
    const pod = podTemplateOf(object);
    return pod ? restrictedProblems(pod).map((message) => ({ where: objectRef(object), message: `restricted Pod Security Standard, ${message}` })) : [];
  });
}
