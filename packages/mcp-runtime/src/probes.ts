/** The probe endpoints: /healthz (liveness), /readyz (readiness: def.ready()), /metrics (Prometheus). */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-answer.ts';
import type { Logger } from './logger.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { McpAppDefinition } from './types.ts';

/** What the probes read. */
export interface ProbeContext {
  def: McpAppDefinition;
  logger: Logger;
  metrics: RuntimeMetrics;
  closing: boolean;
}

/** The probe paths. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** A readiness check that has not answered by then counts as not ready. */
export const READY_TIMEOUT_MS = 3_000;

function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`readiness check did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([check, expired]).finally(() => clearTimeout(timer));
}

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
  let ready = true;
  try {
    ready = ctx.def.ready === undefined ? true : await withTimeout(ctx.def.ready(), READY_TIMEOUT_MS);
  } catch (error) {
    ready = false;
    ctx.logger.log('warn', 'readiness check failed', { error: error instanceof Error ? error.message : String(error) });
  }
  sendJson(res, ready ? 200 : 503, ready ? '{"status":"ready"}' : '{"status":"not ready"}');
}
