/**
 * The MCP request metrics, on prom-client: messages served by method, tool and outcome, errors by type, latency,
 * refusals at the HTTP edge, and work in flight. Label values are bounded (known methods, registered tools,
 * fixed reasons: src/labels.ts), so a client cannot grow the series.
 */
import { Counter, Gauge, Histogram, type Registry } from '@mcp-gateway/telemetry';

/** Histogram bucket upper bounds in seconds (MCP calls: sub-millisecond to tens of seconds). */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** How a request ended, for the request counter and the logs. */
export type RequestOutcome = 'ok' | 'tool_error' | 'protocol_error' | 'rejected' | 'internal_error' | 'cancelled';

/** The runtime's request metrics, registered on an app's registry. */
export class RequestMetrics {
  readonly #requests: Counter<'method' | 'tool' | 'outcome'>;
  readonly #errors: Counter<'method' | 'tool' | 'type'>;
  readonly #duration: Histogram<'method' | 'tool'>;
  readonly #rejections: Counter<'status' | 'reason'>;
  readonly #inflight: Gauge;
  readonly #registry: Registry;

  constructor(registry: Registry) {
    this.#registry = registry;
    const registers = [registry];
    this.#requests = new Counter({ name: 'mcp_requests_total', help: 'MCP JSON-RPC messages served, by method, tool and outcome.', labelNames: ['method', 'tool', 'outcome'], registers });
    this.#errors = new Counter({ name: 'mcp_errors_total', help: 'MCP messages that ended in an error (tool error, JSON-RPC error, internal error).', labelNames: ['method', 'tool', 'type'], registers });
    this.#duration = new Histogram({ name: 'mcp_request_duration_seconds', help: 'Time to answer an MCP message, by method and tool.', labelNames: ['method', 'tool'], buckets: [...LATENCY_BUCKETS_SECONDS], registers });
    this.#rejections = new Counter({ name: 'mcp_http_rejections_total', help: 'Requests refused at the HTTP edge, by status and reason.', labelNames: ['status', 'reason'], registers });
    this.#inflight = new Gauge({ name: 'mcp_inflight_requests', help: 'MCP messages being served now.', registers });
  }

  /** A request entered the MCP endpoint. */
  requestStarted(): void {
    this.#inflight.inc();
  }

  /** A request left the MCP endpoint. `tool` is '' for non-tool methods. */
  requestFinished(method: string, tool: string, outcome: RequestOutcome, seconds: number): void {
    this.#inflight.dec();
    this.#requests.inc({ method, tool, outcome });
    if (outcome !== 'ok' && outcome !== 'cancelled') this.#errors.inc({ method, tool, type: outcome });
    this.#duration.observe({ method, tool }, seconds);
  }

  /** A request refused at the HTTP edge before reaching the MCP layer (bad host, body too large...). */
  requestRejected(status: number, reason: string): void {
    this.#rejections.inc({ status: String(status), reason });
  }

  /** The start-up check's result, once: how many tools differ from the tool lock (0: they match). Only with a lock. */
  toolLockChecked(mismatches: number): void {
    new Gauge({ name: 'mcp_tool_lock_mismatches', help: 'Tools that differ from the mounted tool lock at start (added, removed or changed); 0 when they match.', registers: [this.#registry] }).set(mismatches);
  }
}
