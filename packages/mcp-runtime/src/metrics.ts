/**
 * Prometheus metrics, hand-rolled so the hot path is a map lookup and a few additions:
 * series are keyed by a pre-joined label string and rendered only when /metrics is scraped.
 */
import { getHeapStatistics } from 'node:v8';

/** Histogram bucket upper bounds in seconds (MCP calls: sub-millisecond to tens of seconds). */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** How a request ended, for the request counter and the logs. */
export type RequestOutcome = 'ok' | 'tool_error' | 'protocol_error' | 'rejected' | 'internal_error' | 'cancelled';

interface RequestSeries {
  method: string;
  tool: string;
  buckets: number[];
  sum: number;
  count: number;
}

/** Escapes a Prometheus label value. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  return String(value);
}

/** The runtime's metrics registry. */
export class RuntimeMetrics {
  private readonly durations = new Map<string, RequestSeries>();
  private readonly outcomes = new Map<string, number>();
  private readonly rejections = new Map<string, number>();
  private inflight = 0;
  private toolLockMismatches: number | undefined;
  private readonly startTimeSeconds = Date.now() / 1000;

  /** A request entered the MCP endpoint. */
  requestStarted(): void {
    this.inflight += 1;
  }

  /** A request left the MCP endpoint. `tool` is '' for non-tool methods. */
  requestFinished(method: string, tool: string, outcome: RequestOutcome, seconds: number): void {
    this.inflight -= 1;
    const key = `${method}\u0000${tool}`;
    let series = this.durations.get(key);
    if (series === undefined) {
      series = { method, tool, buckets: new Array<number>(LATENCY_BUCKETS_SECONDS.length).fill(0), sum: 0, count: 0 };
      this.durations.set(key, series);
    }
    const bounds = LATENCY_BUCKETS_SECONDS;
    for (let i = 0; i < bounds.length; i += 1) {
      if (seconds <= bounds[i]!) {
        series.buckets[i]! += 1;
        break;
      }
    }
    series.sum += seconds;
    series.count += 1;
    const outcomeKey = `${key}\u0000${outcome}`;
    this.outcomes.set(outcomeKey, (this.outcomes.get(outcomeKey) ?? 0) + 1);
  }

  /** A request refused at the HTTP edge before reaching the MCP layer (bad host, body too large...). */
  requestRejected(status: number, reason: string): void {
    const key = `${status}\u0000${reason}`;
    this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
  }

  /** The start-up check's result: how many tools differ from the tool lock (0: they match). */
  toolLockChecked(mismatches: number): void {
    this.toolLockMismatches = mismatches;
  }

  /** Number of MCP requests being served now. */
  get inflightRequests(): number {
    return this.inflight;
  }

  /** Renders the Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    lines.push('# HELP mcp_requests_total MCP JSON-RPC messages served, by method, tool and outcome.');
    lines.push('# TYPE mcp_requests_total counter');
    for (const [key, value] of this.outcomes) {
      const [method, tool, outcome] = key.split('\u0000') as [string, string, string];
      lines.push(`mcp_requests_total{method="${escapeLabel(method)}",tool="${escapeLabel(tool)}",outcome="${outcome}"} ${value}`);
    }
    lines.push('# HELP mcp_errors_total MCP messages that ended in an error (tool error, JSON-RPC error, internal error).');
    lines.push('# TYPE mcp_errors_total counter');
    for (const [key, value] of this.outcomes) {
      const [method, tool, outcome] = key.split('\u0000') as [string, string, string];
      if (outcome === 'ok' || outcome === 'cancelled') continue;
      lines.push(`mcp_errors_total{method="${escapeLabel(method)}",tool="${escapeLabel(tool)}",type="${outcome}"} ${value}`);
    }
    lines.push('# HELP mcp_request_duration_seconds Time to answer an MCP message, by method and tool.');
    lines.push('# TYPE mcp_request_duration_seconds histogram');
    for (const series of this.durations.values()) {
      const labels = `method="${escapeLabel(series.method)}",tool="${escapeLabel(series.tool)}"`;
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i += 1) {
        cumulative += series.buckets[i]!;
        lines.push(`mcp_request_duration_seconds_bucket{${labels},le="${formatNumber(LATENCY_BUCKETS_SECONDS[i]!)}"} ${cumulative}`);
      }
      lines.push(`mcp_request_duration_seconds_bucket{${labels},le="+Inf"} ${series.count}`);
      lines.push(`mcp_request_duration_seconds_sum{${labels}} ${series.sum}`);
      lines.push(`mcp_request_duration_seconds_count{${labels}} ${series.count}`);
    }
    lines.push('# HELP mcp_http_rejections_total Requests refused at the HTTP edge, by status and reason.');
    lines.push('# TYPE mcp_http_rejections_total counter');
    for (const [key, value] of this.rejections) {
      const [status, reason] = key.split('\u0000') as [string, string];
      lines.push(`mcp_http_rejections_total{status="${status}",reason="${escapeLabel(reason)}"} ${value}`);
    }
    lines.push('# HELP mcp_inflight_requests MCP messages being served now.');
    lines.push('# TYPE mcp_inflight_requests gauge');
    lines.push(`mcp_inflight_requests ${this.inflight}`);
    if (this.toolLockMismatches !== undefined) {
      lines.push('# HELP mcp_tool_lock_mismatches Tools that differ from the mounted tool lock at start (added, removed or changed); 0 when they match.');
      lines.push('# TYPE mcp_tool_lock_mismatches gauge');
      lines.push(`mcp_tool_lock_mismatches ${this.toolLockMismatches}`);
    }
    const memory = process.memoryUsage();
    lines.push('# HELP process_resident_memory_bytes Resident memory size in bytes.');
    lines.push('# TYPE process_resident_memory_bytes gauge');
    lines.push(`process_resident_memory_bytes ${memory.rss}`);
    lines.push('# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.');
    lines.push('# TYPE nodejs_heap_used_bytes gauge');
    lines.push(`nodejs_heap_used_bytes ${memory.heapUsed}`);
    lines.push('# HELP nodejs_heap_size_limit_bytes The V8 heap limit (set from the pod memory limit through NODE_OPTIONS), in bytes.');
    lines.push('# TYPE nodejs_heap_size_limit_bytes gauge');
    lines.push(`nodejs_heap_size_limit_bytes ${getHeapStatistics().heap_size_limit}`);
    lines.push('# HELP process_start_time_seconds Start time of the process since the Unix epoch, in seconds.');
    lines.push('# TYPE process_start_time_seconds gauge');
    lines.push(`process_start_time_seconds ${this.startTimeSeconds}`);
    return `${lines.join('\n')}\n`;
  }
}
