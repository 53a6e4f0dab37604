/**
 * The UI server's metrics: requests by route and status, and their duration. Routes are a fixed set (the paths
 * app.ts serves), so a client cannot grow the series; served on METRICS_PORT only, never on the public port.
 */
import { Counter, Histogram, type Registry } from '@mcp-gateway/telemetry';

/** The route label of a path (after the /ui prefix is stripped). */
export function routeOf(path: string): string {
  if (path === '/healthz' || path === '/readyz') return path.slice(1);
  if (path.startsWith('/auth/')) return ['/auth/login', '/auth/callback', '/auth/logout'].includes(path) ? path.slice(1) : 'auth/other';
  if (path === '/api/me' || path === '/api/catalog') return path.slice(1);
  if (path.startsWith('/api/mcp/')) return 'api/mcp';
  if (path.startsWith('/api/')) return 'api/other';
  return 'page';
}

/** Records one request per response. */
export interface UiMetrics {
  observe(route: string, status: number, seconds: number): void;
}

export function createUiMetrics(registry: Registry): UiMetrics {
  const requests = new Counter({ name: 'mcp_ui_http_requests_total', help: 'Requests the UI server answered, by route and status.', labelNames: ['route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'mcp_ui_http_request_duration_seconds',
    help: 'Time to answer a request (a streamed MCP answer: until its end), by route.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    observe(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      duration.observe({ route }, seconds);
    },
  };
}
