import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { API_BASE, CSRF_HEADER } from './api.ts';
import { BROKEN_ANSWER, createWatchingFetch, ExchangeLog } from './exchange.ts';

/** A connected client and the log of what it sent and received. */
export interface Connection {
  client: Client;
  log: ExchangeLog;
}

/**
 * Connects the official MCP client to /ui/api/mcp/<name>: the UI server adds the user's token and forwards to
 * the gateway. The browser sends only its session cookie and the CSRF header. `auto` negotiation speaks the
 * 2026 revision when the server does (cancel = closing the request's stream) and falls back to 2025.
 */
export async function connectToServer(name: string, csrfToken: string): Promise<Connection> {
  const log = new ExchangeLog();
  const client = new Client({ name: 'mcp-ui', version: '0.1.0' }, { versionNegotiation: { mode: 'auto' } });
  const transport = new StreamableHTTPClientTransport(new URL(`${API_BASE}mcp/${encodeURIComponent(name)}`, location.origin), {
    requestInit: { headers: { [CSRF_HEADER]: csrfToken }, credentials: 'same-origin' },
    fetch: createWatchingFetch(log),
  });
  await client.connect(transport);
  return { client, log };
}

/** The JSON-RPC error in the body of a refused HTTP request (the gateway's 403 names the role a tool needs). */
function jsonRpcErrorIn(text: string | undefined): { message: string; code?: number } | undefined {
  if (text === undefined) return undefined;
  try {
    const error = (JSON.parse(text) as { error?: { message?: unknown; code?: unknown } }).error;
    return typeof error?.message === 'string' ? { message: error.message, ...(typeof error.code === 'number' ? { code: error.code } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** A failed request in words: a sentence for people, the technical detail apart. */
export interface DescribedError {
  message: string;
  detail?: string;
  code?: number;
  signedOut: boolean;
}

const GATEWAY_WORDS: Record<number, string> = {
  502: 'the gateway got no answer',
  503: 'it is unavailable',
  504: 'the gateway gave up waiting',
};

/** A readable message for a failed MCP request to `server`: JSON-RPC errors keep the server's code and message. */
export function describeMcpError(error: unknown, server: string): DescribedError {
  const e = error as { name?: string; message?: string; code?: unknown; status?: number; data?: { status?: number; text?: unknown; kind?: unknown } };
  const status = typeof e?.status === 'number' ? e.status : e?.data?.status;
  const raw = (e?.message || String(error)).replace(/^MCP error -?\d+: /, '');
  const text = typeof e?.data?.text === 'string' ? e.data.text.slice(0, 500) : undefined;
  if (status === 401 || e?.name === 'UnauthorizedError') return { message: 'Your session has ended. Sign in again.', signedOut: true };
  if (e?.name === 'AbortError') return { message: 'Cancelled.', signedOut: false };
  if (e?.data?.kind === BROKEN_ANSWER) {
    return {
      message: `${server} stopped answering: ${raw}. The call may or may not have had its effect.`,
      detail: 'The response stream ended without a JSON-RPC answer (a server restarted or killed, or a proxy cut the connection).',
      signedOut: false,
    };
  }
  if (typeof status === 'number') {
    const detail = `HTTP ${status}${text ? `: ${text}` : ''}`;
    if (GATEWAY_WORDS[status]) return { message: `${server} is not answering (${GATEWAY_WORDS[status]}).`, detail, signedOut: false };
    if (status === 403) {
      // The gateway's refusal of a tool is a JSON-RPC error that names the role the tool needs: show its words.
      const refusal = jsonRpcErrorIn(text);
      if (refusal) return { message: refusal.message, detail, ...(refusal.code !== undefined ? { code: refusal.code } : {}), signedOut: false };
      return { message: `The gateway refused this request to ${server}.`, detail, signedOut: false };
    }
    if (status === 404) return { message: `${server} is not in the catalog, or its route is missing.`, detail, signedOut: false };
    return { message: `The request to ${server} failed (HTTP ${status}).`, detail, signedOut: false };
  }
  if (e?.name === 'TypeError') return { message: `The UI's server could not be reached: check your network and try again.`, detail: raw, signedOut: false };
  if (typeof e?.code === 'number') {
    if (e.code === -32001) return { message: `${server} took too long without showing progress; the call was stopped.`, detail: `JSON-RPC error ${e.code}: ${raw}`, code: e.code, signedOut: false };
    return { message: `${server} answered with an error: ${raw}`, detail: `JSON-RPC error ${e.code}`, code: e.code, signedOut: false };
  }
  return { message: `Something went wrong talking to ${server}: ${raw}`, signedOut: false };
}
