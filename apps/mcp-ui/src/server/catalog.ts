import { readFile, stat } from 'node:fs/promises';

/** One MCP server the page may use, as the generator renders it into the ConfigMap mcp-ui-catalog. */
export interface CatalogEntry {
  name: string;
  description: string;
  /** Route path on the gateway, e.g. /mcp/mcp-example. */
  path: string;
  /** What opens the server, in words (`the app role HubSpot.Read or the app role HubSpot.Write`), when known. */
  access?: string;
}

export interface Catalog {
  servers: CatalogEntry[];
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/** Validates the catalog file's JSON; throws an Error naming the first problem. */
export function parseCatalog(text: string, source = 'catalog'): Catalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const servers = (data as { servers?: unknown })?.servers;
  if (!Array.isArray(servers)) throw new Error(`${source}: "servers" must be an array`);
  const seen = new Set<string>();
  const entries = servers.map((raw: unknown, index): CatalogEntry => {
    const entry = raw as Partial<CatalogEntry>;
    const where = `${source}: servers[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where} must be an object`);
    if (typeof entry.name !== 'string' || !NAME.test(entry.name)) throw new Error(`${where}.name must be a DNS label, got ${JSON.stringify(entry.name)}`);
    if (seen.has(entry.name)) throw new Error(`${where}.name ${entry.name} appears twice`);
    seen.add(entry.name);
    if (typeof entry.path !== 'string' || !PATH.test(entry.path) || entry.path.includes('..')) {
      throw new Error(`${where}.path must be an absolute path, got ${JSON.stringify(entry.path)}`);
    }
    const description = entry.description ?? '';
    if (typeof description !== 'string') throw new Error(`${where}.description must be a string`);
    if (entry.access !== undefined && typeof entry.access !== 'string') throw new Error(`${where}.access must be a string`);
    return { name: entry.name, description, path: entry.path, ...(entry.access ? { access: entry.access } : {}) };
  });
  return { servers: entries };
}

/**
 * Reads CATALOG_FILE, re-reading it when it changes (the kubelet updates a mounted ConfigMap in place).
 * A broken file keeps failing with the parse error until it is fixed; nothing is guessed.
 */
export function createCatalogSource(file: string): () => Promise<Catalog> {
  let cached: { key: string; catalog: Catalog } | undefined;
  return async () => {
    const info = await stat(file);
    const key = `${info.mtimeMs}:${info.size}:${info.ino}`;
    if (cached?.key === key) return cached.catalog;
    const catalog = parseCatalog(await readFile(file, 'utf8'), file);
    cached = { key, catalog };
    return catalog;
  };
}

/** Whether a server answers MCP through the gateway for this user. */
export interface ProbeResult {
  status: 'up' | 'down' | 'unauthorized';
  /** Short reason for down/unauthorized (an HTTP status or a network error), never a token. */
  detail?: string;
  serverInfo?: { name?: string; version?: string };
}

/** The legacy (2025) initialize request: every server here answers it, in both eras, through the gateway. */
const PROBE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-ui-probe', version: '1' } },
});

/** Finds the JSON-RPC response in a JSON or SSE body. */
export function findJsonRpcResult(contentType: string, body: string): { result?: Record<string, unknown>; error?: { message?: string } } | undefined {
  const candidates = contentType.includes('text/event-stream')
    ? body.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim())
    : [body];
  for (const text of candidates) {
    try {
      const message = JSON.parse(text) as { id?: unknown; result?: Record<string, unknown>; error?: { message?: string } };
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
async function readJsonRpcResponse(response: Response): Promise<ReturnType<typeof findJsonRpcResult>> {
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

/** Sends initialize to gateway + path with the user's bearer token; bounded by `timeoutMs`. */
export async function probeServer(url: URL, accessToken: string, timeoutMs = 4000): Promise<ProbeResult> {
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
      return { status: 'unauthorized', detail: `HTTP ${response.status}` };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { status: 'down', detail: `HTTP ${response.status}` };
    }
    const message = await readJsonRpcResponse(response);
    if (!message?.result) return { status: 'down', detail: message?.error?.message ?? 'no initialize result' };
    const info = message.result.serverInfo as { name?: unknown; version?: unknown } | undefined;
    return {
      status: 'up',
      serverInfo: {
        ...(typeof info?.name === 'string' ? { name: info.name } : {}),
        ...(typeof info?.version === 'string' ? { version: info.version } : {}),
      },
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { status: 'down', detail: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message) };
  }
}

/** The gateway URL for a catalog entry: GATEWAY_URL's origin (and base path, if any) + the entry's path. */
export function gatewayUrlFor(gateway: URL, entry: CatalogEntry): URL {
  const base = gateway.href.endsWith('/') ? gateway.href.slice(0, -1) : gateway.href;
  return new URL(base + entry.path);
}
