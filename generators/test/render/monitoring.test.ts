/** The monitoring renders: PodMonitors, the dashboard, the tracing policy, their switches; the schedule's longest gap. */
import { describe, expect, it } from 'vitest';
import { longestGapMinutes } from '../../src/registry/cron.ts';
import { renderObjects } from '../../src/render/index.ts';
import { dashboardJson } from '../../src/render/dashboard.ts';
import type { KubeObject } from '../../src/render/meta.ts';
import { validateObjects } from '../../src/validate/schemas.ts';
import { find, parseWithLocks, repoRegistry, repoRegistryJson } from '../helpers.ts';

const registry = repoRegistry();
const objects = renderObjects(registry);
const variant = (change: (json: Record<string, any>) => void) => {
  const json = repoRegistryJson();
  change(json);
  return parseWithLocks(JSON.stringify(json));
};

describe('PodMonitors', () => {
  it('scrape every server and the UI on their metrics port, the gateway proxy on :15020 (port metrics), each with its job label', () => {
    const monitors = objects.filter((o) => o.kind === 'PodMonitor');
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['agentgateway-proxy', 'mcp-example', 'mcp-hubspot', 'mcp-mssql', 'mcp-ui']);
    expect(find(objects, 'PodMonitor', 'mcp-hubspot').spec).toEqual({
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-hubspot', 'app.kubernetes.io/component': 'mcp-server' } },
      namespaceSelector: { matchNames: ['agentgateway-system'] },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    expect(find(objects, 'PodMonitor', 'agentgateway-proxy').spec).toMatchObject({
      jobLabel: 'gateway.networking.k8s.io/gateway-name',
      selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway-proxy' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }],
    });
    for (const monitor of monitors) expect(monitor.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    // The port they name exists on the pods.
    const container = find(objects, 'StatefulSet', 'mcp-hubspot').spec.template.spec.containers[0];
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
    expect(container.env).toContainEqual({ name: 'METRICS_PORT', value: '9464' });
  });

  it('are validated against the Prometheus Operator schema (@kubernetes-models/prometheus-operator): a bad interval is refused', () => {
    const monitor = structuredClone(find<KubeObject & { spec: any }>(objects, 'PodMonitor', 'mcp-example'));
    expect(validateObjects([monitor])).toEqual([]);
    monitor.spec.podMetricsEndpoints[0].interval = 'thirty seconds';
    expect(validateObjects([monitor]).map((p) => p.message).join('\n')).toMatch(/interval/);
  });

  it('carry objectLabels; prometheusOperator: false renders no PodMonitor and no PrometheusRule', () => {
    const labelled = variant((json) => (json.monitoring = { objectLabels: { release: 'kube-prometheus-stack' } })).registry!;
    expect(renderObjects(labelled).filter((o) => o.kind === 'PodMonitor' || o.kind === 'PrometheusRule').every((o) => o.metadata.labels?.release === 'kube-prometheus-stack')).toBe(true);
    const off = variant((json) => (json.monitoring = { prometheusOperator: false })).registry!;
    expect(renderObjects(off).filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    // The metrics port stays: something else may scrape it.
    expect(find(renderObjects(off), 'Deployment', 'mcp-example').spec.template.spec.containers[0].env).toContainEqual({ name: 'METRICS_PORT', value: '9464' });
  });
});

describe('the dashboard', () => {
  it('is a ConfigMap for the Grafana sidecar with a row for the gateway, the UI, each server and the refreshed credential', () => {
    const configMap = find(objects, 'ConfigMap', 'mcp-gateway-dashboard');
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    const dashboard = JSON.parse(configMap.data['mcp-gateway.json']);
    expect(dashboard.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual([
      'Gateway agentgateway-proxy',
      'UI mcp-ui',
      'Server mcp-example',
      'Server mcp-hubspot',
      'Credential of mcp-hubspot',
      'Server mcp-mssql',
    ]);
    const exprs: string[] = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(exprs).toContain('min(mcp_credential_expiry_timestamp_seconds{namespace="agentgateway-system", job="mcp-hubspot"}) - time()');
    // Panels never overlap: each sits below the previous row.
    const ys = dashboard.panels.filter((p: any) => p.type === 'row').map((p: any) => p.gridPos.y);
    expect(ys).toEqual([...ys].sort((a: number, b: number) => a - b));
    expect(new Set(dashboard.panels.map((p: any) => p.id)).size).toBe(dashboard.panels.length);
  });

  it('grafanaDashboard.enabled: false renders none', () => {
    const off = variant((json) => (json.monitoring = { grafanaDashboard: { enabled: false } })).registry!;
    expect(renderObjects(off).some((o) => o.metadata.name === 'mcp-gateway-dashboard')).toBe(false);
    expect(dashboardJson(off, () => undefined)).toMatchObject({ uid: 'mcp-gateway' });
  });
});

describe('tracing', () => {
  it('is off by default; monitoring.tracing renders frontend.tracing on the Gateway, valid against v1.4.1 and its CEL rules', () => {
    expect(objects.some((o) => o.metadata.name === 'mcp-tracing')).toBe(false);
    const on = variant((json) => (json.monitoring = { tracing: { service: 'otel-collector', port: 4318, protocol: 'HTTP', randomSampling: 0.2 } })).registry!;
    const policy = find<KubeObject & { spec: unknown }>(renderObjects(on), 'AgentgatewayPolicy', 'mcp-tracing');
    expect(policy.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'agentgateway-proxy' }],
      frontend: { tracing: { backendRef: { group: '', kind: 'Service', name: 'otel-collector', port: 4318 }, protocol: 'HTTP', randomSampling: '0.2' } },
    });
    expect(validateObjects([policy])).toEqual([]);
  });
});

describe('registry checks', () => {
  it('refuses a metrics port that is a server\'s or the UI\'s port, and METRICS_PORT in a server\'s env', () => {
    const clash = variant((json) => {
      json.monitoring = { metricsPort: 8000 };
      json.servers[0].env = { ...json.servers[0].env, METRICS_PORT: '1' };
    });
    expect(clash.problems.map((p) => `${p.where}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^monitoring\.metricsPort: 8000 is the port of server "mcp-example"; \/metrics needs a port of its own$/),
        expect.stringMatching(/env\.METRICS_PORT: METRICS_PORT is set by the generator; remove it$/),
      ]),
    );
  });
});

describe('longestGapMinutes', () => {
  it.each([
    ['*/23 * * * *', 23],
    ['*/15 * * * *', 15],
    ['5,35 * * * *', 30],
    ['@hourly', 60],
    ['0 3 * * *', 1440],
    ['30 2 * * 1-5', 3 * 1440],
    ['0 0 1 * *', 31 * 1440],
  ])('%s: %i minutes', (schedule, minutes) => expect(longestGapMinutes(schedule)).toBe(minutes));
});
