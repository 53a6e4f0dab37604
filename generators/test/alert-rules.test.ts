/**
 * The rendered alert rules, checked by Debian's promtool (the Prometheus release's own checker): `promtool check
 * rules` on every PrometheusRule the repository's servers.json renders, and `promtool test rules` feeding series
 * as the servers (their /metrics) and kube-state-metrics (its Job, CronJob, Deployment, StatefulSet and pod metrics,
 * with the names and labels of its docs) export them, expecting each alert to fire when it should and to stay quiet
 * otherwise. The unit tests run on the rules with their annotations left out: promtool compares annotations exactly,
 * and their templates are checked by `check rules`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkRules, testRules } from '../../scripts/promtool.ts';
import { longestGapMinutes } from '../src/registry/cron.ts';
import { REFRESH_GRACE_MINUTES, runbookAnchor, type AlertRule } from '../src/render/alert-rules.ts';
import { renderObjects } from '../src/render/index.ts';
import { REPO_ROOT, repoRegistry } from './helpers.ts';

const registry = repoRegistry();
const NS = registry.namespace;
const rules = renderObjects(registry).filter((o) => o.kind === 'PrometheusRule');
const groups = rules.flatMap((rule) => (rule.spec as { groups: { name: string; rules: AlertRule[] }[] }).groups);
const KSM = { job: 'kube-state-metrics', instance: '10.0.0.9:8080' };

let dir: string;
let fullRules: string;
let bareRules: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alert-rules-'));
  fullRules = join(dir, 'rules.yaml');
  bareRules = join(dir, 'rules-bare.yaml');
  await writeFile(fullRules, stringify({ groups }));
  await writeFile(bareRules, stringify({ groups: groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...rule }) => rule) })) }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `name{a="b",...}` as promtool's input_series write it. */
function series(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

interface Case {
  name: string;
  series: { series: string; values: string }[];
  /** Minute → the labels of each alert of `alertname` expected then ([] = quiet). */
  expect: { at: number; alertname: string; alerts: Record<string, string>[] }[];
}

/** Runs one promtool unit test file (one `tests` entry per case) and fails with promtool's own report. */
async function run(cases: Case[]): Promise<void> {
  const file = join(dir, `test-${cases[0]!.name.replace(/\W+/g, '-')}.yaml`);
  await writeFile(
    file,
    stringify({
      rule_files: [bareRules],
      evaluation_interval: '1m',
      tests: cases.map((c) => ({
        name: c.name,
        interval: '1m',
        input_series: c.series,
        alert_rule_test: c.expect.map((e) => ({ eval_time: `${e.at}m`, alertname: e.alertname, exp_alerts: e.alerts.map((labels) => ({ exp_labels: labels })) })),
      })),
    }),
  );
  const result = await testRules(file);
  expect(result.output).toContain('SUCCESS');
  expect(result.code, result.output).toBe(0);
}

/** A value list for `minutes` samples, one per minute. */
const values = (minutes: number, at: (minute: number) => number | undefined): string =>
  Array.from({ length: minutes + 1 }, (_, m) => at(m) ?? '_').join(' ');

describe('the rendered rules', () => {
  it('every server has a PrometheusRule with the five server alerts; the refreshed one also the four credential alerts', () => {
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(registry.servers.map((s) => s.name).sort());
    for (const server of registry.servers) {
      const names = groups.filter((g) => g.name.startsWith(`${server.name}.`)).flatMap((g) => g.rules.map((r) => r.alert));
      const credential = server.tokenRefresh ? ['McpCredentialExpiring', 'McpCredentialRefused', 'McpTokenRefreshOverdue', 'McpTokenRefreshFailed'] : [];
      expect(names).toEqual(['McpServerErrors', 'McpServerSlow', 'McpServerNotReady', 'McpServerRestarting', 'McpToolLockMismatch', ...credential]);
    }
  });

  it('pass promtool check rules (PromQL, durations, annotation templates)', async () => {
    const result = await checkRules(fullRules);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code, result.output).toBe(0);
  });

  it("each runbook_url points at a runbook section of docs/operations.md", () => {
    const operations = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    for (const rule of groups.flatMap((g) => g.rules)) {
      expect(rule.annotations.runbook_url).toBe(`${registry.monitoring.runbookBaseUrl}#${runbookAnchor(rule.alert)}`);
      expect(operations, rule.alert).toContain(`### Runbook: ${rule.alert}\n`);
    }
  });

  it('the refusal of promtool is real: a broken expression fails check rules', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, stringify({ groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'sum by (job (up)' }] }] }));
    const result = await checkRules(broken);
    expect(result.code).not.toBe(0);
  });
});

describe('promtool test rules: the server alerts', () => {
  const server = (name: string) => ({ namespace: NS, job: name, pod: `${name}-7d9f8b6c4d-x2x9k`, instance: '10.0.0.5:9464' });

  it('McpServerErrors fires above the error ratio for 10 minutes, and stays quiet below it', async () => {
    const at = (name: string, method: string, tool: string) => ({ ...server(name), method, tool });
    await run([
      {
        name: 'errors above the ratio',
        series: [
          { series: series('mcp_requests_total', { ...at('mcp-example', 'tools/call', 'echo'), outcome: 'ok' }), values: '0+90x30' },
          { series: series('mcp_requests_total', { ...at('mcp-example', 'tools/call', 'echo'), outcome: 'tool_error' }), values: '0+10x30' },
          { series: series('mcp_errors_total', { ...at('mcp-example', 'tools/call', 'echo'), type: 'tool_error' }), values: '0+10x30' },
          // The same share of protocol errors (a client's bad requests) does not count.
          { series: series('mcp_requests_total', { ...at('mcp-mssql', 'tools/call', 'run_query'), outcome: 'ok' }), values: '0+90x30' },
          { series: series('mcp_errors_total', { ...at('mcp-mssql', 'tools/call', 'run_query'), type: 'protocol_error' }), values: '0+10x30' },
        ],
        expect: [
          { at: 10, alertname: 'McpServerErrors', alerts: [] },
          { at: 20, alertname: 'McpServerErrors', alerts: [{ severity: 'warning', server: 'mcp-example', namespace: NS, job: 'mcp-example' }] },
        ],
      },
      {
        name: 'errors below the ratio',
        series: [
          { series: series('mcp_requests_total', { ...at('mcp-example', 'tools/call', 'echo'), outcome: 'ok' }), values: '0+99x30' },
          { series: series('mcp_errors_total', { ...at('mcp-example', 'tools/call', 'echo'), type: 'internal_error' }), values: '0+1x30' },
        ],
        expect: [{ at: 25, alertname: 'McpServerErrors', alerts: [] }],
      },
    ]);
  });

  it('McpServerSlow fires when the tools/call p99 stays above the threshold, and stays quiet when it is fast', async () => {
    const bucket = (name: string, le: string, perMinute: number) => ({
      series: series('mcp_request_duration_seconds_bucket', { ...server(name), method: 'tools/call', tool: 'x', le }),
      values: `0+${perMinute}x30`,
    });
    await run([
      {
        name: 'slow and fast servers',
        series: [
          // mcp-hubspot: every call between 5 and 10 s; mcp-example: every call under 100 ms.
          bucket('mcp-hubspot', '0.1', 0),
          bucket('mcp-hubspot', '5', 0),
          bucket('mcp-hubspot', '10', 60),
          bucket('mcp-hubspot', '+Inf', 60),
          bucket('mcp-example', '0.1', 60),
          bucket('mcp-example', '5', 60),
          bucket('mcp-example', '10', 60),
          bucket('mcp-example', '+Inf', 60),
        ],
        expect: [
          { at: 8, alertname: 'McpServerSlow', alerts: [] },
          { at: 20, alertname: 'McpServerSlow', alerts: [{ severity: 'warning', server: 'mcp-hubspot', namespace: NS, job: 'mcp-hubspot' }] },
        ],
      },
    ]);
  });

  it('McpServerNotReady fires for a Deployment and a StatefulSet short of ready pods for 10 minutes, not for one that recovers', async () => {
    await run([
      {
        name: 'not ready',
        series: [
          { series: series('kube_deployment_spec_replicas', { ...KSM, namespace: NS, deployment: 'mcp-example' }), values: '2x30' },
          { series: series('kube_deployment_status_replicas_available', { ...KSM, namespace: NS, deployment: 'mcp-example' }), values: '1x30' },
          { series: series('kube_statefulset_replicas', { ...KSM, namespace: NS, statefulset: 'mcp-hubspot' }), values: '1x30' },
          { series: series('kube_statefulset_status_replicas_ready', { ...KSM, namespace: NS, statefulset: 'mcp-hubspot' }), values: '0x30' },
          // mcp-mssql is short for 5 minutes (a rolling update), then whole again.
          { series: series('kube_deployment_spec_replicas', { ...KSM, namespace: NS, deployment: 'mcp-mssql' }), values: '2x30' },
          { series: series('kube_deployment_status_replicas_available', { ...KSM, namespace: NS, deployment: 'mcp-mssql' }), values: '1x5 2x25' },
        ],
        expect: [
          { at: 5, alertname: 'McpServerNotReady', alerts: [] },
          {
            at: 15,
            alertname: 'McpServerNotReady',
            alerts: [
              { severity: 'critical', server: 'mcp-example', ...KSM, namespace: NS, deployment: 'mcp-example' },
              { severity: 'critical', server: 'mcp-hubspot', ...KSM, namespace: NS, statefulset: 'mcp-hubspot' },
            ],
          },
        ],
      },
    ]);
  });

  it("McpServerRestarting fires at the restart threshold within an hour for the server's own pods only", async () => {
    const restarts = (pod: string, container: string, values: string) => ({ series: series('kube_pod_container_status_restarts_total', { ...KSM, namespace: NS, pod, container }), values });
    await run([
      {
        name: 'restarts',
        series: [
          restarts('mcp-example-7d9f8b6c4d-x2x9k', 'server', '0 0 1 1 2 2 3 3 3 3 3'),
          restarts('mcp-mssql-5c8d7b9f6d-k8s7q', 'server', '0 0 1 1 1 1 1 1 1 1 1'),
          // A server named mcp-example-two is not mcp-example, and the token refresher's container is not a server.
          restarts('mcp-example-two-6f7b8c9d5e-abcde', 'server', '0 1 2 3 4 5 6 7 8 9 9'),
          restarts('mcp-hubspot-0', 'server', '0 0 0 0 0 0 0 0 0 0 0'),
        ],
        expect: [
          { at: 4, alertname: 'McpServerRestarting', alerts: [] },
          { at: 8, alertname: 'McpServerRestarting', alerts: [{ severity: 'warning', server: 'mcp-example', ...KSM, namespace: NS, pod: 'mcp-example-7d9f8b6c4d-x2x9k', container: 'server' }] },
        ],
      },
    ]);
  });
});

describe('promtool test rules: the tool lock', () => {
  it("McpToolLockMismatch fires for a pod whose start-up check found tools that differ from its lock, and not for one that matches", async () => {
    const pod = (name: string) => ({ namespace: NS, job: 'mcp-example', pod: name, instance: '10.0.0.5:9464' });
    await run([
      {
        name: 'tool lock',
        series: [
          { series: series('mcp_tool_lock_mismatches', pod('mcp-example-7d9f8b6c4d-aaaaa')), values: '0 0 0 0 0' },
          { series: series('mcp_tool_lock_mismatches', pod('mcp-example-6c5b4a3d2e-bbbbb')), values: `_ _ 1 1 1` },
          { series: series('mcp_tool_lock_mismatches', { ...pod('mcp-mssql-5c8d7b9f6d-k8s7q'), job: 'mcp-mssql' }), values: '0 0 0 0 0' },
        ],
        expect: [
          { at: 1, alertname: 'McpToolLockMismatch', alerts: [] },
          { at: 3, alertname: 'McpToolLockMismatch', alerts: [{ severity: 'warning', server: 'mcp-example', namespace: NS, job: 'mcp-example', pod: 'mcp-example-6c5b4a3d2e-bbbbb' }] },
        ],
      },
    ]);
  });
});

describe('promtool test rules: the credential alerts', () => {
  const hubspot = registry.servers.find((s) => s.tokenRefresh)!;
  const refresh = hubspot.tokenRefresh!;
  const cronjob = 'hubspot-token-cronjob';
  const gap = longestGapMinutes(refresh.schedule);
  const pod = { namespace: NS, job: hubspot.name, pod: `${hubspot.name}-0`, instance: '10.0.0.7:9464', source: 'file' };
  const expiring = [{ severity: 'critical', server: hubspot.name, ...pod }];
  const LIFETIME = 30; // minutes: HubSpot's access tokens (expires_in 1800)
  const DELIVERY = 2; // minutes from the scheduled run to the new file in the pod (Job start, Secret write, kubelet sync)

  /** The schedule's runs (minutes from 0) as the CronJob starts them, for `*\/23 * * * *`: :00, :23, :46 of each hour. */
  const runs = (until: number) => Array.from({ length: until + 61 }, (_, i) => i - 60).filter((m) => [0, 23, 46].includes(((m % 60) + 60) % 60));

  /** Expiry and age of the token in the pod at each minute, when the runs in `failed` deliver nothing. */
  function tokenSeries(minutes: number, lifetime: number, failed: number[] = []) {
    const delivered = runs(minutes).filter((run) => !failed.includes(run)).map((run) => ({ at: run + DELIVERY, expiry: run + lifetime }));
    const current = (m: number) => delivered.filter((d) => d.at <= m).at(-1)!;
    return [
      { series: series('mcp_credential_expiry_timestamp_seconds', pod), values: values(minutes, (m) => current(m).expiry * 60) },
      { series: series('mcp_credential_age_seconds', pod), values: values(minutes, (m) => (m - current(m).at) * 60) },
    ];
  }

  it(`the schedule ${refresh.schedule} is what the rules were rendered for (longest gap ${gap} minutes)`, () => {
    expect(gap).toBe(23);
    expect(runs(120).filter((m) => m >= 0 && m < 120)).toEqual([0, 23, 46, 60, 83, 106]);
  });

  it('McpCredentialExpiring stays quiet through the schedule\'s rhythm, though 7 minutes are left before each run', async () => {
    const minutes = 180;
    const series = tokenSeries(minutes, LIFETIME);
    // The token does dip under 10 minutes left before each run: that alone must not fire.
    const remaining = (m: number) => Number(series[0]!.values.split(' ')[m]) / 60 - m;
    expect(Math.min(...Array.from({ length: minutes - 30 }, (_, i) => remaining(i + 30)))).toBeLessThan(hubspot.alerts.tokenExpiresWithinMinutes);
    await run([{ name: 'rhythm', series, expect: Array.from({ length: minutes - 2 }, (_, i) => ({ at: i + 2, alertname: 'McpCredentialExpiring', alerts: [] })) }]);
  });

  it('McpCredentialExpiring fires before the token expires when a refresh fails, and stops once one succeeds', async () => {
    // The run at :23 fails; the token of :00 expires at :30; the run at :46 delivers again at :48.
    const fires = DELIVERY + gap + REFRESH_GRACE_MINUTES + 1;
    expect(fires).toBeLessThan(LIFETIME);
    await run([
      {
        name: 'a failed refresh',
        series: tokenSeries(60, LIFETIME, [23]),
        expect: [
          { at: fires - 1, alertname: 'McpCredentialExpiring', alerts: [] },
          { at: fires, alertname: 'McpCredentialExpiring', alerts: expiring },
          { at: LIFETIME - 1, alertname: 'McpCredentialExpiring', alerts: expiring },
          { at: 50, alertname: 'McpCredentialExpiring', alerts: [] },
        ],
      },
    ]);
  });

  it('McpCredentialExpiring fires at once for tokens that live shorter than the schedule can replace them', async () => {
    await run([
      {
        name: 'a 10-minute token refreshed every 23 minutes',
        series: tokenSeries(40, 10),
        expect: [
          { at: 3, alertname: 'McpCredentialExpiring', alerts: expiring },
          { at: 8, alertname: 'McpCredentialExpiring', alerts: expiring },
        ],
      },
    ]);
  });

  it('McpCredentialRefused fires while the last HubSpot call was refused for the token', async () => {
    await run([
      {
        name: 'refused',
        series: [{ series: series('mcp_credential_refused', { namespace: NS, job: hubspot.name, pod: `${hubspot.name}-0`, instance: '10.0.0.7:9464' }), values: '0x5 1x5 0x5' }],
        expect: [
          { at: 3, alertname: 'McpCredentialRefused', alerts: [] },
          { at: 8, alertname: 'McpCredentialRefused', alerts: [{ severity: 'critical', server: hubspot.name, namespace: NS, job: hubspot.name }] },
          { at: 13, alertname: 'McpCredentialRefused', alerts: [] },
        ],
      },
    ]);
  });

  it('McpTokenRefreshOverdue fires when the last success is older than two schedules, or there never was one', async () => {
    const cron = { ...KSM, namespace: NS, cronjob };
    const twoSchedules = 2 * gap;
    await run([
      {
        name: 'last success long ago',
        series: [
          { series: series('kube_cronjob_created', cron), values: '0x120' },
          // Successes at :00 and :23 (30 s after the run), then none.
          { series: series('kube_cronjob_status_last_successful_time', cron), values: values(120, (m) => (m < 23 ? 30 : 23 * 60 + 30)) },
        ],
        expect: [
          { at: 23 + twoSchedules, alertname: 'McpTokenRefreshOverdue', alerts: [] },
          { at: 23 + twoSchedules + 2, alertname: 'McpTokenRefreshOverdue', alerts: [{ severity: 'critical', server: hubspot.name, ...cron }] },
        ],
      },
      {
        name: 'never succeeded',
        series: [{ series: series('kube_cronjob_created', cron), values: '0x120' }],
        expect: [
          { at: twoSchedules - 1, alertname: 'McpTokenRefreshOverdue', alerts: [] },
          { at: twoSchedules + 2, alertname: 'McpTokenRefreshOverdue', alerts: [{ severity: 'critical', server: hubspot.name, ...cron }] },
        ],
      },
      {
        name: 'on schedule',
        series: [
          { series: series('kube_cronjob_created', cron), values: '0x180' },
          { series: series('kube_cronjob_status_last_successful_time', cron), values: values(180, (m) => runs(m).filter((r) => r >= 0).at(-1)! * 60 + 30) },
        ],
        expect: [30, 90, 150, 179].map((at) => ({ at, alertname: 'McpTokenRefreshOverdue', alerts: [] })),
      },
    ]);
  });

  it('McpTokenRefreshFailed fires when a run failed after the last success, and clears when the next one succeeds', async () => {
    const job = (name: string) => ({ ...KSM, namespace: NS, job_name: name });
    const owner = (name: string) => ({ series: series('kube_job_owner', { ...job(name), owner_kind: 'CronJob', owner_name: cronjob, owner_is_controller: 'true' }), values: '1x60' });
    const cron = { ...KSM, namespace: NS, cronjob };
    const alerts = [{ severity: 'warning', server: hubspot.name, namespace: NS, owner_name: cronjob, cronjob }];
    await run([
      {
        name: 'the :23 run fails, the :46 run succeeds',
        series: [
          owner(`${cronjob}-1`),
          owner(`${cronjob}-2`),
          owner(`${cronjob}-3`),
          // Another CronJob's failed Job is not this one's.
          { series: series('kube_job_owner', { ...job('other-cronjob-9'), owner_kind: 'CronJob', owner_name: 'other-cronjob', owner_is_controller: 'true' }), values: '1x60' },
          { series: series('kube_job_created', job('other-cronjob-9')), values: '600x60' },
          { series: series('kube_job_failed', { ...job('other-cronjob-9'), condition: 'true' }), values: '1x60' },
          { series: series('kube_job_created', job(`${cronjob}-1`)), values: '0x60' },
          { series: series('kube_job_failed', { ...job(`${cronjob}-1`), condition: 'true' }), values: '0x60' },
          { series: series('kube_job_created', job(`${cronjob}-2`)), values: values(60, (m) => (m >= 23 ? 23 * 60 : undefined)) },
          { series: series('kube_job_failed', { ...job(`${cronjob}-2`), condition: 'true' }), values: values(60, (m) => (m < 23 ? undefined : m < 25 ? 0 : 1)) },
          { series: series('kube_job_created', job(`${cronjob}-3`)), values: values(60, (m) => (m >= 46 ? 46 * 60 : undefined)) },
          { series: series('kube_job_failed', { ...job(`${cronjob}-3`), condition: 'true' }), values: values(60, (m) => (m >= 46 ? 0 : undefined)) },
          { series: series('kube_cronjob_status_last_successful_time', cron), values: values(60, (m) => (m < 47 ? 30 : 46 * 60 + 30)) },
        ],
        expect: [
          { at: 20, alertname: 'McpTokenRefreshFailed', alerts: [] },
          { at: 26, alertname: 'McpTokenRefreshFailed', alerts },
          { at: 45, alertname: 'McpTokenRefreshFailed', alerts },
          { at: 50, alertname: 'McpTokenRefreshFailed', alerts: [] },
        ],
      },
      {
        name: 'the first run ever fails',
        series: [owner(`${cronjob}-1`), { series: series('kube_job_created', job(`${cronjob}-1`)), values: '0x30' }, { series: series('kube_job_failed', { ...job(`${cronjob}-1`), condition: 'true' }), values: '0 0 1x28' }],
        expect: [
          { at: 1, alertname: 'McpTokenRefreshFailed', alerts: [] },
          { at: 5, alertname: 'McpTokenRefreshFailed', alerts },
        ],
      },
    ]);
  });
});
