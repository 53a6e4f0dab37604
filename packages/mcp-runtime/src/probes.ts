/** The probe endpoints: /healthz (liveness) and /readyz (readiness: def.ready(), with its reason); the metrics' path. */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-answer.ts';
import type { Logger } from '@mcp-gateway/telemetry';
import type { AppReadiness } from './readiness.ts';

/** What the probes read. */
export interface ProbeContext {
  readiness: AppReadiness;
  logger: Logger;
  closing: boolean;
}

/** The probe paths. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Where the Prometheus text is served: on the main port, or on METRICS_PORT alone when that is set. */
export const METRICS_PATH = '/metrics';

/** Answers one probe request. */
export async function serveProbe(ctx: ProbeContext, path: string, res: ServerResponse): Promise<void> {
  if (path === '/healthz') return sendJson(res, 200, '{"status":"ok"}');
  // /readyz
  if (ctx.closing) return sendJson(res, 503, '{"status":"shutting down"}');
  const { ready, reason } = await ctx.readiness.check();
  sendJson(res, ready ? 200 : 503, JSON.stringify(ready ? { status: 'ready' } : { status: 'not ready', ...(reason !== undefined ? { reason } : {}) }));
}
