/**
 * Prometheus metrics with prom-client. A program keeps its own metrics in a registry of its own
 * ({@link createRegistry}; tests start several apps in one process), and `/metrics` answers with those plus the
 * process's: prom-client's default metrics (CPU, memory, file descriptors, heap spaces, event-loop lag, GC
 * durations, active handles), collected once per process, and the V8 heap limit.
 */
import type { ServerResponse } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

const GAUGES_NAMED_AS_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The process's metrics, registered on first use (default metrics start their observers only once). */
export function processMetrics(): Registry {
  if (processRegistry !== undefined) return processRegistry;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters (promtool check metrics refuses them); nodejs_active_{handles,requests,resources}
  // carry the same numbers by type.
  for (const name of GAUGES_NAMED_AS_COUNTERS) registry.removeSingleMetric(name);
  new Gauge({
    name: 'nodejs_heap_size_limit_bytes',
    help: 'The V8 heap limit in bytes (set from the pod memory limit through NODE_OPTIONS).',
    registers: [registry],
    collect() {
      this.set(getHeapStatistics().heap_size_limit);
    },
  });
  processRegistry = registry;
  return registry;
}

/** A registry for one program's (or one app instance's) own metrics. */
export function createRegistry(): Registry {
  processMetrics();
  return new Registry();
}

/** The Prometheus text of `registry` and the process's metrics. */
export async function renderMetrics(registry: Registry): Promise<string> {
  const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
  return [own, process].filter((text) => text.trim() !== '').map((text) => (text.endsWith('\n') ? text : `${text}\n`)).join('');
}

/** The content type of the text format (0.0.4). */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Answers a scrape: 200 with the text, or 500 when a collector failed (its message is not sent). */
export async function serveMetrics(res: ServerResponse, registry: Registry): Promise<void> {
  let text: string;
  try {
    text = await renderMetrics(registry);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
    return;
  }
  res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
