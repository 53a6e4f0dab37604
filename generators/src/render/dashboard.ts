/**
 * The Grafana dashboard, as a ConfigMap the Grafana sidecar loads (it looks for `grafana_dashboard: "1"` by default):
 * a row for the gateway, one for the UI, and one per MCP server, with a credential row under each server that has a
 * token refresher. The panels read the metrics the PodMonitors scrape and kube-state-metrics.
 */
import { FIXED } from '../names.ts';
import type { Registry, Server } from '../registry/types.ts';
import { labels, type KubeObject } from './meta.ts';
import { sourceOf } from './placed.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

export const DASHBOARD = { name: 'mcp-gateway-dashboard', key: 'mcp-gateway.json', uid: 'mcp-gateway' } as const;

interface Panel {
  title: string;
  /** PromQL and its legend, one series each. */
  targets: [string, string][];
  unit: string;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Grafana panels laid out four to a row, each 6 units wide and 8 high, below a row header at `y`. */
function row(title: string, y: number, panels: Panel[], nextId: () => number): object[] {
  return [
    { type: 'row', id: nextId(), title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] },
    ...panels.map((panel, i) => ({
      type: 'timeseries',
      id: nextId(),
      title: panel.title,
      datasource: DATASOURCE,
      gridPos: { h: 8, w: 6, x: (i % 4) * 6, y: y + 1 + Math.floor(i / 4) * 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.targets.map(([expr, legendFormat], t) => ({ refId: String.fromCharCode(65 + t), datasource: DATASOURCE, expr, legendFormat })),
    })),
  ];
}

const rowHeight = (panels: Panel[]): number => 1 + Math.ceil(panels.length / 4) * 8;

function gatewayPanels(registry: Registry): Panel[] {
  const sel = `namespace="${registry.namespace}", job="${registry.gateway.name}"`;
  return [
    { title: 'Requests by route and status', unit: 'reqps', targets: [[`sum by (route, status) (rate(agentgateway_requests_total{${sel}}[5m]))`, '{{route}} {{status}}']] },
    { title: 'Request duration p99 by route', unit: 's', targets: [[`histogram_quantile(0.99, sum by (route, le) (rate(agentgateway_request_duration_seconds_bucket{${sel}}[5m])))`, '{{route}}']] },
    { title: 'MCP calls through the gateway', unit: 'reqps', targets: [[`sum by (route) (rate(agentgateway_mcp_requests_total{${sel}}[5m]))`, '{{route}}']] },
    { title: 'Refused (401 and 403)', unit: 'reqps', targets: [[`sum by (route, status) (rate(agentgateway_requests_total{${sel}, status=~"401|403"}[5m]))`, '{{route}} {{status}}']] },
  ];
}

function processPanels(sel: string): Panel[] {
  return [
    { title: 'Memory (RSS) and heap', unit: 'bytes', targets: [[`max by (pod) (process_resident_memory_bytes{${sel}})`, 'rss {{pod}}'], [`max by (pod) (nodejs_heap_size_used_bytes{${sel}})`, 'heap {{pod}}']] },
    { title: 'Event-loop lag p99', unit: 's', targets: [[`max by (pod) (nodejs_eventloop_lag_p99_seconds{${sel}})`, '{{pod}}']] },
  ];
}

function uiPanels(registry: Registry): Panel[] {
  const sel = `namespace="${registry.namespace}", job="${FIXED.ui}"`;
  return [
    { title: 'Requests by route and status', unit: 'reqps', targets: [[`sum by (route, status) (rate(mcp_ui_http_requests_total{${sel}}[5m]))`, '{{route}} {{status}}']] },
    { title: 'Duration p99 by route', unit: 's', targets: [[`histogram_quantile(0.99, sum by (route, le) (rate(mcp_ui_http_request_duration_seconds_bucket{${sel}}[5m])))`, '{{route}}']] },
    ...processPanels(sel),
  ];
}

function serverPanels(server: Server, registry: Registry): Panel[] {
  const sel = `namespace="${registry.namespace}", job="${server.name}"`;
  return [
    { title: 'Messages by method and tool', unit: 'reqps', targets: [[`sum by (method, tool) (rate(mcp_requests_total{${sel}}[5m]))`, '{{method}} {{tool}}']] },
    {
      title: 'Error ratio',
      unit: 'percentunit',
      targets: [[`sum(rate(mcp_errors_total{${sel}, type=~"tool_error|internal_error"}[5m])) / sum(rate(mcp_requests_total{${sel}}[5m]))`, 'errors'], [`${server.alerts.errorRatio}`, 'alert threshold']],
    },
    {
      title: 'tools/call latency',
      unit: 's',
      targets: [
        [`histogram_quantile(0.5, sum by (le) (rate(mcp_request_duration_seconds_bucket{${sel}, method="tools/call"}[5m])))`, 'p50'],
        [`histogram_quantile(0.99, sum by (le) (rate(mcp_request_duration_seconds_bucket{${sel}, method="tools/call"}[5m])))`, 'p99'],
      ],
    },
    { title: 'In flight and refused at the edge', unit: 'short', targets: [[`sum(mcp_inflight_requests{${sel}})`, 'in flight'], [`sum by (reason) (rate(mcp_http_rejections_total{${sel}}[5m]))`, 'refused: {{reason}}']] },
    ...processPanels(sel),
  ];
}

function credentialPanels(server: Server, registry: Registry, cronjob: string): Panel[] {
  const sel = `namespace="${registry.namespace}", job="${server.name}"`;
  const cron = `namespace="${registry.namespace}", cronjob="${cronjob}"`;
  return [
    { title: 'Token expires in', unit: 's', targets: [[`min(mcp_credential_expiry_timestamp_seconds{${sel}}) - time()`, 'expires in'], [`${server.alerts.tokenExpiresWithinMinutes * 60}`, 'alert window']] },
    { title: 'Token age', unit: 's', targets: [[`max(mcp_credential_age_seconds{${sel}})`, 'age']] },
    { title: 'Last call refused for the token', unit: 'short', targets: [[`max(mcp_credential_refused{${sel}})`, 'refused'], [`min(mcp_credential_present{${sel}})`, 'present']] },
    { title: `${cronjob}: since the last success`, unit: 's', targets: [[`time() - kube_cronjob_status_last_successful_time{${cron}}`, 'since last success']] },
  ];
}

/** The dashboard JSON (Grafana's dashboard model). */
export function dashboardJson(registry: Registry, cronJobOf: (server: Server) => string | undefined): object {
  let id = 0;
  const nextId = () => ++id;
  let y = 0;
  const panels: object[] = [];
  const add = (title: string, rowPanels: Panel[]) => {
    panels.push(...row(title, y, rowPanels, nextId));
    y += rowHeight(rowPanels);
  };
  add(`Gateway ${registry.gateway.name}`, gatewayPanels(registry));
  add(`UI ${FIXED.ui}`, uiPanels(registry));
  for (const server of registry.servers) {
    add(`Server ${server.name}`, serverPanels(server, registry));
    const cronjob = cronJobOf(server);
    if (cronjob) add(`Credential of ${server.name}`, credentialPanels(server, registry, cronjob));
  }
  return {
    uid: DASHBOARD.uid,
    title: 'MCP gateway',
    description: 'Rendered from servers.json by npm run generate: the gateway, the UI and each MCP server.',
    tags: ['mcp-gateway'],
    timezone: 'utc',
    refresh: '1m',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }] },
    panels,
  };
}

/** ConfigMap `mcp-gateway-dashboard` with the dashboard JSON, labelled for the Grafana sidecar. */
export function renderDashboard(registry: Registry, cronJobOf: (server: Server) => string | undefined): KubeObject | undefined {
  const { grafanaDashboard } = registry.monitoring;
  if (!grafanaDashboard.enabled) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: DASHBOARD.name,
      namespace: registry.namespace,
      labels: { ...labels({ name: DASHBOARD.name, component: 'monitoring' }), ...grafanaDashboard.labels },
      ...(grafanaDashboard.folder !== undefined && { annotations: { grafana_folder: grafanaDashboard.folder } }),
    },
    data: { [DASHBOARD.key]: `${JSON.stringify(dashboardJson(registry, cronJobOf), null, 2)}\n` },
  };
}
