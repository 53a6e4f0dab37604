/** The probe endpoints: /healthz (liveness), /readyz (readiness: def.ready(), with its reason), /metrics (Prometheus). */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-answer.ts';
import type { Logger } from './logger.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { AppReadiness } from './readiness.ts';

/** What the probes read. */
export interface ProbeContext {
  readiness: AppReadiness;
  logger: Logger;
  metrics: RuntimeMetrics;
  closing: boolean;
}

/** The probe paths. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** Answers one probe request. */
export async function serveProbe(ctx: ProbeContext, path: string, res: ServerResponse): Promise<void> {
  if (path === '/healthz') return sendJson(res, 200, '{"status":"ok"}');
  if (path === '/metrics') {
    const text = ctx.metrics.render();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  // /readyz
  if (ctx.closing) return sendJson(res, 503, '{"status":"shutting down"}');
  const { ready, reason } = await ctx.readiness.check();
  sendJson(res, ready ? 200 : 503, JSON.stringify(ready ? { status: 'ready' } : { status: 'not ready', ...(reason !== undefined ? { reason } : {}) }));
}
