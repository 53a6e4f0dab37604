import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { API_BASE, CSRF_HEADER } from './api.ts';

/**
 * Connects the official MCP client to /ui/api/mcp/<name>: the UI server adds the user's token and forwards to
 * the gateway. The browser sends only its session cookie and the CSRF header. `auto` negotiation speaks the
 * 2026 revision when the server does (cancel = closing the request's stream) and falls back to 2025.
 */
export async function connectToServer(name: string, csrfToken: string): Promise<Client> {
  const client = new Client({ name: 'mcp-ui', version: '0.1.0' }, { versionNegotiation: { mode: 'auto' } });
  const transport = new StreamableHTTPClientTransport(new URL(`${API_BASE}mcp/${encodeURIComponent(name)}`, location.origin), {
    requestInit: { headers: { [CSRF_HEADER]: csrfToken }, credentials: 'same-origin' },
  });
  await client.connect(transport);
  return client;
}

/** The JSON-RPC error in the body of a refused HTTP request (the gateway's 403 names the role a tool needs). */
function jsonRpcErrorIn(text: unknown): { message: string; code?: number } | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const error = (JSON.parse(text) as { error?: { message?: unknown; code?: unknown } }).error;
    return typeof error?.message === 'string' ? { message: error.message, ...(typeof error.code === 'number' ? { code: error.code } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** A readable message for a failed MCP request: JSON-RPC errors keep the server's (or the gateway's) code and message. */
export function describeMcpError(error: unknown): { message: string; code?: number; signedOut: boolean } {
  const e = error as { name?: string; message?: string; code?: unknown; status?: number; data?: { status?: number; text?: unknown } };
  const status = typeof e?.status === 'number' ? e.status : e?.data?.status;
  if (status === 401 || e?.name === 'UnauthorizedError') return { message: 'Your session has ended. Sign in again.', signedOut: true };
  if (e?.name === 'AbortError') return { message: 'Cancelled', signedOut: false };
  const refusal = status === 403 ? jsonRpcErrorIn(e?.data?.text) : undefined;
  if (refusal) return { ...refusal, signedOut: false };
  return {
    message: e?.message || String(error),
    ...(typeof e?.code === 'number' ? { code: e.code } : {}),
    signedOut: false,
  };
}
