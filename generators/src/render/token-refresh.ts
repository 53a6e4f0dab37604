/**
 * The token-refresh CronJob of a server and its least-privilege access: a ServiceAccount with a token, a Role
 * limited by resourceNames to the two Secrets (and the workload when `restart` is true), and the RoleBinding.
 */
import { sourceOf } from './placed.ts';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { serverNames } from '../names.ts';
import type { Server, TokenRefresh } from '../registry/types.ts';
import { labels, metadata, type Identity, type KubeObject } from './meta.ts';
import { nodeOptions } from './node-runtime.ts';
import { containerResources, containerSecurityContext, podSecurityContext, secretVolume, TMP_MOUNT, TMP_VOLUME } from './pod-security.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** Where the refresher finds its credentials (docs/contracts.md, "hubspot-token-cronjob"). */
export const CREDENTIALS_DIR = '/var/run/secrets/oauth-credentials';

/** Job limits: a run is retried twice and may take 10 minutes, well inside the 23-minute period. */
export const JOB_LIMITS = { startingDeadlineSeconds: 300, backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400, history: 3 } as const;

const refreshId = (server: Server, refresh: TokenRefresh): Identity => ({ name: serverNames(server.name).tokenCronJob, component: 'token-refresh', image: refresh.image });

/** Environment of the refresher, exactly as docs/contracts.md lists it. */
export function tokenRefreshEnv(server: Server, refresh: TokenRefresh): IEnvVar[] {
  return [
    { name: 'TOKEN_PROVIDER', value: refresh.provider },
    { name: 'TOKEN_URL', value: refresh.tokenUrl },
    { name: 'CREDENTIALS_DIR', value: CREDENTIALS_DIR },
    { name: 'CREDENTIALS_SECRET_NAME', value: refresh.credentialsSecret.name },
    { name: 'ACCESS_TOKEN_SECRET_NAME', value: refresh.secretName },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ...(refresh.restart ? [{ name: 'RESTART_KIND', value: server.workload }, { name: 'RESTART_NAME', value: serverNames(server.name).workload }] : []),
    { name: 'HTTP_TIMEOUT_MS', value: '10000' },
    { name: 'MAX_ATTEMPTS', value: '5' },
    { name: 'NODE_OPTIONS', value: nodeOptions(refresh.resources.limits.memory) },
  ];
}

export function renderTokenCronJob(server: Server, refresh: TokenRefresh, namespace: string): KubeObject {
  const names = serverNames(server.name);
  const id = refreshId(server, refresh);
  const uid = server.runAsUser;
  const cronJob: ICronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(names.tokenCronJob, namespace, id),
    spec: {
      schedule: refresh.schedule,
      timeZone: refresh.timeZone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: JOB_LIMITS.startingDeadlineSeconds,
      successfulJobsHistoryLimit: JOB_LIMITS.history,
      failedJobsHistoryLimit: JOB_LIMITS.history,
      jobTemplate: {
        metadata: { labels: labels(id) },
        spec: {
          backoffLimit: JOB_LIMITS.backoffLimit,
          activeDeadlineSeconds: JOB_LIMITS.activeDeadlineSeconds,
          ttlSecondsAfterFinished: JOB_LIMITS.ttlSecondsAfterFinished,
          template: {
            metadata: { labels: labels(id) },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: names.tokenServiceAccount,
              automountServiceAccountToken: true,
              securityContext: podSecurityContext(uid),
              containers: [
                {
                  name: 'token-refresh',
                  image: refresh.image,
                  imagePullPolicy: 'IfNotPresent',
                  env: tokenRefreshEnv(server, refresh),
                  resources: containerResources(refresh.resources),
                  securityContext: containerSecurityContext(uid),
                  volumeMounts: [{ name: 'oauth-credentials', mountPath: CREDENTIALS_DIR, readOnly: true }, TMP_MOUNT],
                },
              ],
              volumes: [secretVolume('oauth-credentials', refresh.credentialsSecret.name), TMP_VOLUME],
            },
          },
        },
      },
    },
  };
  return cronJob as unknown as KubeObject;
}

/** The refresher's ServiceAccount; its token is mounted because the program calls the Kubernetes API. */
export function renderTokenServiceAccount(server: Server, refresh: TokenRefresh, namespace: string): KubeObject {
  const sa: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(serverNames(server.name).tokenServiceAccount, namespace, refreshId(server, refresh)),
    automountServiceAccountToken: true,
  };
  return sa as KubeObject;
}

/** get and patch on exactly the two Secrets, and on the workload only when `restart` is true. */
export function renderTokenRole(server: Server, refresh: TokenRefresh, namespace: string): KubeObject {
  const secrets = [refresh.secretName, refresh.credentialsSecret.name].sort();
  const workloadResource = server.workload === 'StatefulSet' ? 'statefulsets' : 'deployments';
  const role: IRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: metadata(serverNames(server.name).tokenServiceAccount, namespace, refreshId(server, refresh)),
    rules: [
      { apiGroups: [''], resources: ['secrets'], resourceNames: secrets, verbs: ['get', 'patch'] },
      ...(refresh.restart ? [{ apiGroups: ['apps'], resources: [workloadResource], resourceNames: [serverNames(server.name).workload], verbs: ['get', 'patch'] }] : []),
    ],
  };
  return role as KubeObject;
}

export function renderTokenRoleBinding(server: Server, refresh: TokenRefresh, namespace: string): KubeObject {
  const name = serverNames(server.name).tokenServiceAccount;
  const binding: IRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(name, namespace, refreshId(server, refresh)),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  };
  return binding as unknown as KubeObject;
}
