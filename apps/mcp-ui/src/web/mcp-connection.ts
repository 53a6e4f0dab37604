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

/** A readable message for a failed MCP request: JSON-RPC errors keep the server's code and message. */
export function describeMcpError(error: unknown): { message: string; code?: number; signedOut: boolean } {
  const e = error as { name?: string; message?: string; code?: unknown; status?: number; data?: { status?: number } };
  const status = typeof e?.status === 'number' ? e.status : e?.data?.status;
  if (status === 401 || e?.name === 'UnauthorizedError') return { message: 'Your session has ended. Sign in again.', signedOut: true };
  if (e?.name === 'AbortError') return { message: 'Cancelled', signedOut: false };
  return {
    message: e?.message || String(error),
    ...(typeof e?.code === 'number' ? { code: e.code } : {}),
    signedOut: false,
  };
}
