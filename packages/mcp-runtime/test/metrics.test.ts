/** The request metrics the runtime records, as /metrics renders them (prom-client, text format 0.0.4). */
import { describe, expect, it } from 'vitest';
import { createRegistry, renderMetrics } from '@mcp-gateway/telemetry';
import { LATENCY_BUCKETS_SECONDS, RequestMetrics } from '../src/metrics.ts';

function fresh() {
  const registry = createRegistry();
  return { metrics: new RequestMetrics(registry), text: () => renderMetrics(registry) };
}

describe('RequestMetrics', () => {
  it('renders counters, a cumulative histogram per method and tool, errors and rejections', async () => {
    const { metrics, text: render } = fresh();
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'echo', 'ok', 0.0004);
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'echo', 'ok', 0.003);
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'add', 'tool_error', 0.02);
    metrics.requestStarted();
    metrics.requestFinished('tools/list', '', 'ok', 100);
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'echo', 'cancelled', 0.001);
    metrics.requestRejected(413, 'body_size');
    metrics.requestStarted();
    const text = await render();

    expect(text).toContain('# TYPE mcp_requests_total counter');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="echo",outcome="ok"} 2');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="add",outcome="tool_error"} 1');
    expect(text).toContain('mcp_errors_total{method="tools/call",tool="add",type="tool_error"} 1');
    // Neither an answer nor a cancellation is an error.
    expect(text).not.toContain('mcp_errors_total{method="tools/call",tool="echo"');
    expect(text).toContain('# TYPE mcp_request_duration_seconds histogram');
    expect(text).toContain('mcp_request_duration_seconds_bucket{le="0.0005",method="tools/call",tool="echo"} 1');
    expect(text).toContain('mcp_request_duration_seconds_bucket{le="0.005",method="tools/call",tool="echo"} 3');
    expect(text).toContain('mcp_request_duration_seconds_bucket{le="+Inf",method="tools/call",tool="echo"} 3');
    expect(text).toContain('mcp_request_duration_seconds_count{method="tools/call",tool="echo"} 3');
    expect(text).toMatch(/mcp_request_duration_seconds_sum\{method="tools\/call",tool="echo"\} 0\.0044/);
    // A value above the last bucket only counts in +Inf.
    expect(text).toContain(`mcp_request_duration_seconds_bucket{le="${LATENCY_BUCKETS_SECONDS.at(-1)}",method="tools/list",tool=""} 0`);
    expect(text).toContain('mcp_request_duration_seconds_bucket{le="+Inf",method="tools/list",tool=""} 1');
    expect(text).toContain('mcp_http_rejections_total{status="413",reason="body_size"} 1');
    expect(text).toContain('mcp_inflight_requests 1');
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('escapes label values', async () => {
    const { metrics, text } = fresh();
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'we"ird\\name', 'ok', 0.001);
    expect(await text()).toContain('tool="we\\"ird\\\\name"');
  });
});
