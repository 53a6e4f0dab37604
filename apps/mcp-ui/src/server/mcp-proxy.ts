import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Request headers the browser's MCP client sends that the MCP server needs (Streamable HTTP, 2025 and 2026 revisions). */
export const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'content-length', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id', 'mcp-method', 'mcp-name'];
/** Response headers the browser's MCP client needs back. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'cache-control', 'mcp-protocol-version', 'mcp-session-id'];
/** 2026 revision: request parameters mirrored into Mcp-Param-* headers. */
const PARAM_HEADER_PREFIX = 'mcp-param-';

/** Picks the headers to send upstream: the MCP ones only (never the cookie, the Origin or the CSRF token), plus the bearer token. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, accessToken: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { authorization: `Bearer ${accessToken}` };
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (FORWARDED_REQUEST_HEADERS.includes(name) || name.startsWith(PARAM_HEADER_PREFIX)) headers[name] = value;
  }
  return headers;
}

/** Picks the headers to return to the browser (WWW-Authenticate and the like stay behind: the page cannot act on them). */
export function downstreamResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = value;
  }
  if (String(incoming['content-type'] ?? '').includes('text/event-stream')) {
    headers['cache-control'] = 'no-cache, no-transform';
    headers['x-accel-buffering'] = 'no';
  }
  return headers;
}

export interface ProxyOptions {
  /** Upstream request bodies larger than this are cut off with 413. */
  maxBodyBytes: number;
  onError?: (error: Error) => void;
}

/**
 * Streams one MCP request to `target` and its response back, without buffering: the body is piped up, the
 * response (JSON or an SSE stream) is piped down as it arrives, and when the browser goes away the upstream
 * request is destroyed so the server sees the stream close (the 2026 revision's cancellation signal).
 */
export function proxyMcpRequest(req: IncomingMessage, res: ServerResponse, target: URL, accessToken: string, options: ProxyOptions): void {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers: upstreamRequestHeaders(req.headers, accessToken) });
  let finished = false;

  const fail = (status: number, message: string) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
    res.end(body);
  };

  upstream.on('response', (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, { ...downstreamResponseHeaders(upstreamRes.headers)});
    res.flushHeaders();
    upstreamRes.pipe(res);
    upstreamRes.on('end', () => {
      finished = true;
    });
    upstreamRes.on('error', () => res.destroy());
  });
  upstream.on('error', (error) => {
    if (finished) return;
    options.onError?.(error);
    fail(502, 'The gateway could not be reached');
  });

  // The browser closed the connection (Cancel, navigation, tab closed): stop the upstream call too.
  res.on('close', () => {
    if (!finished) upstream.destroy();
  });

  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > options.maxBodyBytes) {
      req.unpipe(upstream);
      upstream.destroy();
      finished = true;
      fail(413, `Request body larger than ${options.maxBodyBytes} bytes`);
    }
  });
  req.pipe(upstream);
}
