/** The Prometheus text the runtime renders. */
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_SECONDS, RuntimeMetrics } from '../src/metrics.ts';

describe('RuntimeMetrics', () => {
  it('renders counters, a cumulative histogram per method and tool, errors and rejections', () => {
    const metrics = new RuntimeMetrics();
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'echo', 'ok', 0.0004);
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'echo', 'ok', 0.003);
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'add', 'tool_error', 0.02);
    metrics.requestStarted();
    metrics.requestFinished('tools/list', '', 'ok', 100);
    metrics.requestRejected(413, 'body_size');
    metrics.requestStarted();
    const text = metrics.render();

    expect(text).toContain('# TYPE mcp_requests_total counter');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="echo",outcome="ok"} 2');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="add",outcome="tool_error"} 1');
    expect(text).toContain('mcp_errors_total{method="tools/call",tool="add",type="tool_error"} 1');
    expect(text).not.toContain('mcp_errors_total{method="tools/call",tool="echo"');
    expect(text).toContain('# TYPE mcp_request_duration_seconds histogram');
    expect(text).toContain('mcp_request_duration_seconds_bucket{method="tools/call",tool="echo",le="0.0005"} 1');
    expect(text).toContain('mcp_request_duration_seconds_bucket{method="tools/call",tool="echo",le="0.005"} 2');
    expect(text).toContain('mcp_request_duration_seconds_bucket{method="tools/call",tool="echo",le="+Inf"} 2');
    expect(text).toContain('mcp_request_duration_seconds_count{method="tools/call",tool="echo"} 2');
    expect(text).toMatch(/mcp_request_duration_seconds_sum\{method="tools\/call",tool="echo"\} 0\.0034/);
    // A value above the last bucket only counts in +Inf.
    expect(text).toContain(`mcp_request_duration_seconds_bucket{method="tools/list",tool="",le="${LATENCY_BUCKETS_SECONDS.at(-1)}"} 0`);
    expect(text).toContain('mcp_request_duration_seconds_bucket{method="tools/list",tool="",le="+Inf"} 1');
    expect(text).toContain('mcp_http_rejections_total{status="413",reason="body_size"} 1');
    expect(text).toContain('mcp_inflight_requests 1');
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('escapes label values', () => {
    const metrics = new RuntimeMetrics();
    metrics.requestStarted();
    metrics.requestFinished('tools/call', 'we"ird\\name', 'ok', 0.001);
    expect(metrics.render()).toContain('tool="we\\"ird\\\\name"');
  });

  it('every line is a comment or a sample (exposition format 0.0.4)', () => {
    const metrics = new RuntimeMetrics();
    metrics.requestStarted();
    metrics.requestFinished('ping', '', 'ok', 0.0001);
    for (const line of metrics.render().trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[^}]*\})? [-+.\deE]+|[a-z_]+(\{[^}]*\})? \+Inf)$/);
    }
  });
});
