import { describe, expect, it } from 'vitest';
import { allowedHosts, renderServerDisruptionBudget, renderServerServiceAccount, renderWorkload, secretVolumeNames, serverEnv } from '../../src/render/server-workload.ts';
import type { SecretMount } from '../../src/registry/types.ts';
import { fixtureRegistry, goodRegistry } from '../helpers.ts';
import { defaultInflightBytes, nodeOptions } from '../../src/render/node-runtime.ts';

const registry = goodRegistry();
const server = (name: string) => registry.servers.find((s) => s.name === name)!;
const ns = 'agentgateway-system';

describe('serverEnv', () => {
  it('sets PORT, METRICS_PORT, MCP_PATH, MCP_ALLOWED_HOSTS, the in-flight bounds and heap from the memory limit, the registry env and one file path per Secret key', () => {
    expect(serverEnv(server('mcp-hubspot'), ns, 9464)).toEqual([
      { name: 'PORT', value: '8000' },
      { name: 'METRICS_PORT', value: '9464' },
      { name: 'MCP_PATH', value: '/mcp' },
      { name: 'MCP_ALLOWED_HOSTS', value: allowedHosts(server('mcp-hubspot'), ns).join(',') },
      { name: 'MCP_MAX_INFLIGHT_REQUESTS', value: '64' },
      { name: 'MCP_MAX_INFLIGHT_BYTES', value: String(defaultInflightBytes(server('mcp-hubspot').resources.limits.memory)) },
      { name: 'NODE_OPTIONS', value: nodeOptions(server('mcp-hubspot').resources.limits.memory) },
      { name: 'MCP_TOOL_LOCK_FILE', value: '/etc/mcp-tool-lock/tools.json' },
      { name: 'HUBSPOT_API_VERSION', value: '2026-03' },
      { name: 'HUBSPOT_BASE_URL', value: 'https://api.hubapi.com' },
      { name: 'HUBSPOT_READ_ONLY', value: 'false' },
      { name: 'HUBSPOT_ACCESS_TOKEN_FILE', value: '/var/run/secrets/hubspot-access-token/access-token' },
    ]);
    expect(serverEnv(server('mcp-mssql'), ns, 9464).filter((e) => e.name.startsWith('MSSQL_') && e.name.endsWith('_FILE'))).toEqual([
      { name: 'MSSQL_PASSWORD_FILE', value: '/var/run/secrets/mssql/password' },
      { name: 'MSSQL_USER_FILE', value: '/var/run/secrets/mssql/username' },
    ]);
  });

  it('follows the memory limit and an explicit inflight entry', () => {
    const big = { ...server('mcp-mssql'), resources: { ...server('mcp-mssql').resources, limits: { cpu: '1', memory: '1Gi' } }, inflight: { requests: 8, bytes: 2_000_000 } };
    const env = Object.fromEntries(serverEnv(big, ns, 9464).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ NODE_OPTIONS: '--max-old-space-size=384 --max-semi-space-size=16', MCP_MAX_INFLIGHT_REQUESTS: '8', MCP_MAX_INFLIGHT_BYTES: '2000000' });
  });

  it('allows exactly the Service DNS names', () => {
    expect(allowedHosts(server('mcp-example'), ns)).toEqual([
      'mcp-example-service',
      'mcp-example-service.agentgateway-system',
      'mcp-example-service.agentgateway-system.svc',
      'mcp-example-service.agentgateway-system.svc.cluster.local',
    ]);
  });
});

describe('renderWorkload', () => {
  it('renders a hardened Deployment with probes, limits and Secrets mounted as directories', () => {
    const deployment = renderWorkload(server('mcp-mssql'), ns, 9464) as any;
    expect(deployment.kind).toBe('Deployment');
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.volumeMounts).toEqual([
      { name: 'mcp-mssql-login', mountPath: '/var/run/secrets/mssql', readOnly: true },
      { name: 'tool-lock', mountPath: '/etc/mcp-tool-lock', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    // The tool lock, from its ConfigMap, read-only; its digest on the pod template rolls the pods when it changes.
    expect(pod.volumes).toContainEqual({ name: 'tool-lock', configMap: { name: 'mcp-mssql-tool-lock', defaultMode: 0o444 } });
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'mcp-gateway/tool-lock-digest': server('mcp-mssql').toolLock.digest });
    expect(container.volumeMounts.some((m: any) => 'subPath' in m)).toBe(false);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'mcp-mssql', 'app.kubernetes.io/component': 'mcp-server' });
  });

  it('renders a StatefulSet bound to its headless Service', () => {
    const statefulSet = renderWorkload(server('mcp-hubspot'), ns, 9464) as any;
    expect(statefulSet.kind).toBe('StatefulSet');
    expect(statefulSet.spec.serviceName).toBe('mcp-hubspot-headless');
  });

  it('uses the registry port, path and numeric user', () => {
    const full = fixtureRegistry().servers.find((s) => s.name === 'mcp-full')!;
    const container = (renderWorkload(full, 'mcp-test', 9464) as any).spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 9000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    expect(container.env.slice(0, 3)).toEqual([{ name: 'PORT', value: '9000' }, { name: 'METRICS_PORT', value: '9464' }, { name: 'MCP_PATH', value: '/rpc' }]);
    expect(container.securityContext.runAsUser).toBe(10001);
  });

  it('never labels app.kubernetes.io/instance', () => {
    expect(JSON.stringify(renderWorkload(server('mcp-example'), ns, 9464))).not.toContain('app.kubernetes.io/instance');
  });
});

describe('secretVolumeNames', () => {
  it('uses the Secret name when it is a free DNS label, else secret-<index>', () => {
    const secretMounts: SecretMount[] = [
      { secretName: 'tmp', mountPath: '/a', env: { A: 'a' } },
      { secretName: 'db.login', mountPath: '/b', env: { B: 'b' } },
      { secretName: 'creds', mountPath: '/c', env: { C: 'c' } },
      { secretName: 'creds', mountPath: '/d', env: { D: 'd' } },
    ];
    expect(secretVolumeNames({ ...server('mcp-mssql'), secretMounts })).toEqual(['secret-0', 'secret-1', 'creds', 'secret-3']);
  });
});

describe('renderServerServiceAccount and renderServerDisruptionBudget', () => {
  it('renders a ServiceAccount without a token and a PDB only above one replica', () => {
    expect(renderServerServiceAccount(server('mcp-example'), ns).automountServiceAccountToken).toBe(false);
    expect((renderServerDisruptionBudget(server('mcp-example'), ns) as any).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-example', 'app.kubernetes.io/component': 'mcp-server' } },
    });
    expect(renderServerDisruptionBudget(server('mcp-hubspot'), ns)).toBeUndefined();
  });
});
