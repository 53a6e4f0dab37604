/**
 * The PrometheusRule of each MCP server (monitoring.coreos.com/v1): its health from its own metrics and
 * kube-state-metrics, and, for a server with a token refresher, the credential: the token runs out before a
 * refresh can replace it, the refresher has not succeeded for two schedules, its last run failed, HubSpot refused
 * the token. Thresholds come from `servers[].alerts`; each alert links its runbook in docs/operations.md.
 * promtool checks and unit-tests these rules (generators/test/alert-rules.test.ts).
 */
import { serverNames } from '../names.ts';
import { longestGapMinutes } from '../registry/cron.ts';
import type { Registry, Server, TokenRefresh } from '../registry/types.ts';
import type { KubeObject } from './meta.ts';
import { operatorMetadata } from './monitors.ts';
import { sourceOf } from './placed.ts';
import { serverId } from './server-workload.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

/** One alerting rule as Prometheus reads it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Time a refresh needs after its scheduled minute until the server reads the new token: Job start, the write, the kubelet's sync. */
export const REFRESH_GRACE_MINUTES = 2;

/** The anchors of the runbooks in docs/operations.md (their headings: "Runbook: <alert>"). */
export const runbookAnchor = (alert: string): string => `runbook-${alert.toLowerCase()}`;

function alert(registry: Registry, server: Server, name: string, severity: 'warning' | 'critical', expr: string, forDuration: string | undefined, summary: string, description: string): AlertRule {
  return {
    alert: name,
    expr,
    ...(forDuration !== undefined && { for: forDuration }),
    // `server` names the MCP server also where the series come from kube-state-metrics (job="kube-state-metrics").
    labels: { severity, server: server.name },
    annotations: { summary, description, runbook_url: `${registry.monitoring.runbookBaseUrl}#${runbookAnchor(name)}` },
  };
}

/** Error ratio, tools/call p99 latency, not ready, restarts, tools that differ from the tool lock. */
export function serverAlerts(server: Server, registry: Registry): AlertRule[] {
  const { namespace } = registry;
  const { alerts } = server;
  const sel = `namespace="${namespace}", job="${server.name}"`;
  const ready =
    server.workload === 'StatefulSet'
      ? `kube_statefulset_status_replicas_ready{namespace="${namespace}", statefulset="${server.name}"} < kube_statefulset_replicas{namespace="${namespace}", statefulset="${server.name}"}`
      : `kube_deployment_status_replicas_available{namespace="${namespace}", deployment="${server.name}"} < kube_deployment_spec_replicas{namespace="${namespace}", deployment="${server.name}"}`;
  // Pod names: <statefulset>-<ordinal>, or <deployment>-<pod-template-hash>-<5 characters>; anchored, so a server whose
  // name starts with this one's is never matched.
  const pods = server.workload === 'StatefulSet' ? `${server.name}-[0-9]+` : `${server.name}-[a-z0-9]{6,10}-[a-z0-9]{5}`;
  return [
    alert(
      registry,
      server,
      'McpServerErrors',
      'warning',
      `(sum by (namespace, job) (rate(mcp_errors_total{${sel}, type=~"tool_error|internal_error"}[5m])) / sum by (namespace, job) (rate(mcp_requests_total{${sel}}[5m]))) > ${alerts.errorRatio}`,
      '10m',
      `${server.name}: more than ${alerts.errorRatio * 100}% of MCP messages end in an error`,
      `{{ $value | humanizePercentage }} of the messages ${server.name} answered over 5 minutes were tool or internal errors.`,
    ),
    alert(
      registry,
      server,
      'McpServerSlow',
      'warning',
      `histogram_quantile(0.99, sum by (namespace, job, le) (rate(mcp_request_duration_seconds_bucket{${sel}, method="tools/call"}[5m]))) > ${alerts.latencyP99Seconds}`,
      '10m',
      `${server.name}: tools/call p99 above ${alerts.latencyP99Seconds} s`,
      `The 99th percentile of ${server.name}'s tool calls is {{ $value | humanizeDuration }}.`,
    ),
    alert(
registry,
server, 'McpServerNotReady', 'critical', ready, '10m', `${server.name}: pods not ready`, `${server.name} has had fewer ready pods than it should for 10 minutes.`),
    alert(
      registry,
      server,
      'McpServerRestarting',
      'warning',
      `increase(kube_pod_container_status_restarts_total{namespace="${namespace}", pod=~"${pods}", container="server"}[1h]) >= ${alerts.restarts}`,
      undefined,
      `${server.name}: a pod keeps restarting`,
      `{{ $labels.pod }} restarted {{ $value | humanize }} times within an hour.`,
    ),
    alert(
      registry,
      server,
      'McpToolLockMismatch',
      'warning',
      `max by (namespace, job, pod) (mcp_tool_lock_mismatches{${sel}}) > 0`,
      undefined,
      `${server.name}: a pod's tools differ from its tool lock`,
      `{{ $labels.pod }} offers {{ $value | humanize }} tool(s) that differ from tool-locks/${server.name}.json (its start-up log line names them). The gateway serves only locked names: a new tool is hidden, a changed description or schema under a locked name is not.`,
    ),
  ];
}

/**
 * The credential of a server with a token refresher. `D` is the longest gap between scheduled runs plus the grace a
 * refresh needs: a token older than `D` means the refresh that should have replaced it did not arrive, and a token
 * whose whole lifetime (as delivered) is under `D` cannot be replaced in time by any run. Either, with the token
 * expiring within `tokenExpiresWithinMinutes`, fires before it runs out; the schedule's own rhythm (a 30-minute
 * token refreshed every 23 minutes has 7 minutes left before each run) never does.
 */
export function credentialAlerts(server: Server, refresh: TokenRefresh, registry: Registry): AlertRule[] {
  const { namespace } = registry;
  const gap = longestGapMinutes(refresh.schedule);
  const overdue = (gap + REFRESH_GRACE_MINUTES) * 60;
  const within = server.alerts.tokenExpiresWithinMinutes * 60;
  const sel = `namespace="${namespace}", job="${server.name}"`;
  const cronjob = serverNames(server.name).tokenCronJob;
  const cron = `namespace="${namespace}", cronjob="${cronjob}"`;
  const failedRunCreated =
    `label_replace(max by (namespace, owner_name) (kube_job_created{namespace="${namespace}"} ` +
    `* on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="${namespace}", owner_kind="CronJob", owner_name="${cronjob}"} ` +
    `and on (namespace, job_name) kube_job_failed{namespace="${namespace}", condition="true"} == 1), "cronjob", "$1", "owner_name", "(.+)")`;
  return [
    alert(
      registry,
      server,
      'McpCredentialExpiring',
      'critical',
      `(mcp_credential_expiry_timestamp_seconds{${sel}} - time() < ${within}) and (mcp_credential_age_seconds{${sel}} > ${overdue} or (mcp_credential_expiry_timestamp_seconds{${sel}} - time() + mcp_credential_age_seconds{${sel}}) < ${overdue})`,
      undefined,
      `${server.name}: its token expires in {{ $value | humanizeDuration }} and no refresh replaces it in time`,
      `The token ${server.name} uses (Secret ${refresh.secretName}) expires within ${server.alerts.tokenExpiresWithinMinutes} minutes, and the CronJob ${cronjob} (${refresh.schedule}) has not replaced it within ${gap + REFRESH_GRACE_MINUTES} minutes or cannot before it expires. Calls fail once it does.`,
    ),
    alert(
      registry,
      server,
      'McpCredentialRefused',
      'critical',
      `max by (namespace, job) (mcp_credential_refused{${sel}}) == 1`,
      undefined,
      `${server.name}: the upstream refused its token`,
      `The last call ${server.name} made upstream was refused for its token (401).`,
    ),
    alert(
      registry,
      server,
      'McpTokenRefreshOverdue',
      'critical',
      `time() - kube_cronjob_status_last_successful_time{${cron}} > ${2 * gap * 60} or (time() - kube_cronjob_created{${cron}} > ${2 * gap * 60} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{${cron}})`,
      undefined,
      `${cronjob}: no successful run for two schedules`,
      `The CronJob ${cronjob} (${refresh.schedule}) has not completed a run for {{ $value | humanizeDuration }}.`,
    ),
    alert(
      registry,
      server,
      'McpTokenRefreshFailed',
      'warning',
      `${failedRunCreated} > on (namespace, cronjob) group_left () kube_cronjob_status_last_successful_time{${cron}} or (${failedRunCreated} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{${cron}})`,
      undefined,
      `${cronjob}: its last run failed`,
      `A Job of ${cronjob} failed after the last successful run; its pod's log says why (docs/operations.md).`,
    ),
  ];
}

/** PrometheusRule `<name>`: the server's alerts, and its credential's when it has a token refresher. */
export function renderServerRules(server: Server, registry: Registry): KubeObject | undefined {
  if (!registry.monitoring.prometheusOperator) return undefined;
  const refresh = server.tokenRefresh;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: operatorMetadata(server.name, registry, serverId(server)),
    spec: {
      groups: [
        { name: `${server.name}.server`, rules: serverAlerts(server, registry) },
        ...(refresh ? [{ name: `${server.name}.credential`, rules: credentialAlerts(server, refresh, registry) }] : []),
      ],
    },
  };
}
