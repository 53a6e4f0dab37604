import { describe, expect, it } from 'vitest';
import { renderTokenCronJob, renderTokenRole, renderTokenRoleBinding, renderTokenServiceAccount, tokenRefreshEnv } from '../../src/render/token-refresh.ts';
import { fixtureRegistry, goodRegistry } from '../helpers.ts';

const hubspot = goodRegistry().servers.find((s) => s.name === 'mcp-hubspot')!;
const refresh = hubspot.tokenRefresh!;
const full = fixtureRegistry().servers.find((s) => s.name === 'mcp-full')!;
const ns = 'agentgateway-system';

describe('tokenRefreshEnv', () => {
  it('renders exactly the variables of docs/contracts.md (no restart)', () => {
    expect(tokenRefreshEnv(hubspot, refresh)).toEqual([
      { name: 'TOKEN_PROVIDER', value: 'hubspot' },
      { name: 'TOKEN_URL', value: 'https://api.hubapi.com/oauth/2026-03/token' },
      { name: 'CREDENTIALS_DIR', value: '/var/run/secrets/oauth-credentials' },
      { name: 'CREDENTIALS_SECRET_NAME', value: 'hubspot-oauth-credentials' },
      { name: 'ACCESS_TOKEN_SECRET_NAME', value: 'hubspot-access-token' },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'HTTP_TIMEOUT_MS', value: '10000' },
      { name: 'MAX_ATTEMPTS', value: '5' },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=48 --max-semi-space-size=8' },
    ]);
  });

  it('adds RESTART_KIND and RESTART_NAME when restart is true', () => {
    const env = tokenRefreshEnv(hubspot, { ...refresh, restart: true });
    expect(env.filter((e) => e.name.startsWith('RESTART_'))).toEqual([
      { name: 'RESTART_KIND', value: 'StatefulSet' },
      { name: 'RESTART_NAME', value: 'mcp-hubspot' },
    ]);
  });
});

describe('renderTokenCronJob', () => {
  it('renders hubspot-token-cronjob with the job limits and the credentials mounted read-only', () => {
    const cronJob = renderTokenCronJob(hubspot, refresh, ns) as any;
    expect(cronJob.metadata.name).toBe('hubspot-token-cronjob');
    expect(cronJob.spec).toMatchObject({
      schedule: '*/23 * * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 } },
    });
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('hubspot-token-refresh');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'oauth-credentials', mountPath: '/var/run/secrets/oauth-credentials', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes[0]).toEqual({ name: 'oauth-credentials', secret: { secretName: 'hubspot-oauth-credentials', defaultMode: 0o440 } });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('renderTokenRole', () => {
  it('allows get and patch on the two Secrets only', () => {
    expect((renderTokenRole(hubspot, refresh, ns) as any).rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['hubspot-access-token', 'hubspot-oauth-credentials'], verbs: ['get', 'patch'] },
    ]);
  });

  it('adds the workload only when restart is true', () => {
    expect((renderTokenRole(full, full.tokenRefresh!, 'mcp-test') as any).rules[1]).toEqual({
      apiGroups: ['apps'],
      resources: ['statefulsets'],
      resourceNames: ['mcp-full'],
      verbs: ['get', 'patch'],
    });
  });
});

describe('renderTokenServiceAccount and renderTokenRoleBinding', () => {
  it('binds the Role to the ServiceAccount that mounts its token', () => {
    expect(renderTokenServiceAccount(hubspot, refresh, ns).automountServiceAccountToken).toBe(true);
    expect(renderTokenRoleBinding(hubspot, refresh, ns)).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'hubspot-token-refresh' },
      subjects: [{ kind: 'ServiceAccount', name: 'hubspot-token-refresh', namespace: ns }],
    });
  });
});
