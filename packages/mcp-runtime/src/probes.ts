/** The probe endpoints: /healthz (liveness) and /readyz (readiness: def.ready()); and the path of the metrics. */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-answer.ts';
import type { Logger } from '@mcp-gateway/telemetry';
import type { McpAppDefinition } from './types.ts';

/** What the probes read. */
export interface ProbeContext {
  def: McpAppDefinition;
  logger: Logger;
  closing: boolean;
}

/** The probe paths. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Where the Prometheus text is served: on the main port, or on METRICS_PORT alone when that is set. */
export const METRICS_PATH = '/metrics';

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
  // /readyz
  if (ctx.closing) return sendJson(res, 503, '{"status":"shutting down"}');
  let ready = true;
  try {
    ready = ctx.def.ready === undefined ? true : await withTimeout(ctx.def.ready(), READY_TIMEOUT_MS);
  } catch (error) {
    ready = false;
    ctx.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'readiness check failed');
  }
  sendJson(res, ready ? 200 : 503, ready ? '{"status":"ready"}' : '{"status":"not ready"}');
}
