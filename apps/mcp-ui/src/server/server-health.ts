/**
 * Whether a catalog server can be used, as a person needs to know it: ready, not ready (with the reason the
 * server gives in its initialize result), not answering, or refused. One MCP `initialize` through the gateway
 * with the user's token. The answer is plain data with the time it was taken, so it can as well come from a
 * shared snapshot refreshed in the background (issue 22) as from a probe per request.
 */
import { READINESS_META_KEY } from '@mcp-gateway/mcp-runtime/readiness-key';
import type { CatalogEntry } from './catalog.ts';

export { READINESS_META_KEY };

export type HealthState = 'ready' | 'not_ready' | 'not_answering' | 'refused';

/** A server's health for one person. Never holds a token or a response body. */
export interface ServerHealth {
  state: HealthState;
  /** A sentence for people: "mcp-hubspot is not answering (the gateway got no answer)." */
  message: string;
  /** The server's own reason when it is not ready. */
  reason?: string;
  /** Technical detail for the curious: an HTTP status, a network error code. */
  detail?: string;
  serverInfo?: { name?: string; version?: string };
  /** When this was found (ISO 8601). */
  checkedAt: string;
}

/** The legacy (2025) initialize request: every server here answers it, in both eras, through the gateway. */
const PROBE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-ui-probe', version: '1' } },
});

type JsonRpcAnswer = { result?: Record<string, unknown>; error?: { message?: string } };

/** Finds the JSON-RPC response in a JSON or SSE body. */
export function findJsonRpcResult(contentType: string, body: string): JsonRpcAnswer | undefined {
  const candidates = contentType.includes('text/event-stream')
    ? body.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim())
    : [body];
  for (const text of candidates) {
    try {
      const message = JSON.parse(text) as JsonRpcAnswer & { id?: unknown };
      if (message.id !== undefined && (message.result || message.error)) return message;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

/**
 * Reads a JSON or SSE response until the JSON-RPC response appears (an SSE stream may stay open after it,
 * e.g. through a gateway that keeps sessions), then stops reading. At most 1 MiB is read.
 */
async function readJsonRpcResponse(response: Response): Promise<JsonRpcAnswer | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) text += decoder.decode(value, { stream: true });
      const message = contentType.includes('text/event-stream') || done ? findJsonRpcResult(contentType, text) : undefined;
      if (message || done || text.length > 1024 * 1024) return message;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The readiness the server reported, or undefined when it reports none (then answering counts as ready). */
function readinessOf(result: Record<string, unknown>): { ready: boolean; reason?: string } | undefined {
  const report = (result._meta as Record<string, unknown> | undefined)?.[READINESS_META_KEY] as { ready?: unknown; reason?: unknown } | undefined;
  if (!report || typeof report.ready !== 'boolean') return undefined;
  return { ready: report.ready, ...(typeof report.reason === 'string' && report.reason ? { reason: report.reason.slice(0, 300) } : {}) };
}

const NOT_ANSWERING_BY_STATUS: Record<number, string> = {
  502: 'the gateway got no answer',
  503: 'the server is unavailable',
  504: 'the gateway gave up waiting',
};

/** Words for a network failure on the way to the gateway. */
function networkWords(code: string | undefined, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the gateway could not be reached';
  return 'the connection broke off';
}

/** Sends initialize to gateway + path with the user's bearer token; bounded by `timeoutMs`. */
export async function checkServerHealth(entry: Pick<CatalogEntry, 'name' | 'access'>, url: URL, accessToken: string, timeoutMs = 4000, now = () => new Date()): Promise<ServerHealth> {
  const at = () => now().toISOString();
  const down = (words: string, detail: string): ServerHealth => ({ state: 'not_answering', message: `${entry.name} is not answering (${words}).`, detail, checkedAt: at() });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: PROBE_BODY,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const words = response.status === 401 ? 'did not accept your sign-in' : 'refused you access';
      // A 403 is the server's access rules (servers.json `access`): say what would open it.
      const opens = response.status === 403 && entry.access ? ` It opens with ${entry.access}.` : '';
      return { state: 'refused', message: `The gateway ${words} for ${entry.name}.${opens}`, detail: `HTTP ${response.status}`, checkedAt: at() };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return down(NOT_ANSWERING_BY_STATUS[response.status] ?? `the gateway answered HTTP ${response.status}`, `HTTP ${response.status}`);
    }
    const message = await readJsonRpcResponse(response);
    if (!message?.result) return down('it did not complete the MCP handshake', message?.error?.message ? `JSON-RPC error: ${message.error.message.slice(0, 200)}` : 'no initialize result');
    const info = message.result.serverInfo as { name?: unknown; version?: unknown } | undefined;
    const serverInfo = {
      ...(typeof info?.name === 'string' ? { name: info.name } : {}),
      ...(typeof info?.version === 'string' ? { version: info.version } : {}),
    };
    const readiness = readinessOf(message.result);
    if (readiness && !readiness.ready) {
      const reason = readiness.reason ?? 'it gave no reason';
      return { state: 'not_ready', message: `${entry.name} answers but is not ready: ${reason}.`, reason, serverInfo, checkedAt: at() };
    }
    return { state: 'ready', message: `${entry.name} is ready.`, serverInfo, checkedAt: at() };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const timedOut = e.name === 'TimeoutError';
    return down(networkWords(e.cause?.code, timedOut, timeoutMs), timedOut ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message));
  }
}
