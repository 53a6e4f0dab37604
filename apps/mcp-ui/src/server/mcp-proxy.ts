import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Request headers the browser's MCP client sends that the MCP server needs (Streamable HTTP, 2025 and 2026 revisions). */
export const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'content-length', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id', 'mcp-method', 'mcp-name'];
/** Response headers the browser's MCP client needs back. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'cache-control', 'mcp-protocol-version', 'mcp-session-id'];
/** 2026 revision: request parameters mirrored into Mcp-Param-* headers. */
const PARAM_HEADER_PREFIX = 'mcp-param-';

/** Streamable HTTP methods that carry no body: GET opens the SSE stream, DELETE ends a session. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE']);

/** Whether the request announces a body (any Transfer-Encoding, or a Content-Length other than 0). */
export function requestHasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Picks the headers to send upstream: the MCP ones only (never the cookie, the Origin or the CSRF token), plus the
 * bearer token. Every body goes up with framing the next hop reads: its Content-Length, or chunked encoding when
 * the browser sent none (Node sends the chunks); a body-less method gets neither, and no body is ever written for it.
 */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, accessToken: string, method = 'POST'): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { authorization: `Bearer ${accessToken}` };
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (FORWARDED_REQUEST_HEADERS.includes(name) || name.startsWith(PARAM_HEADER_PREFIX)) headers[name] = value;
  }
  if (BODYLESS_METHODS.has(method)) delete headers['content-length'];
  else if (headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
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
  const method = req.method ?? 'GET';
  const fail = (status: number, message: string, headers: OutgoingHttpHeaders = {}) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const bodyless = BODYLESS_METHODS.has(method);
  if (bodyless && requestHasBody(req.headers)) {
    // The unread body may be a whole request: close this connection rather than read on past it.
    fail(400, `${method} requests take no body`, { connection: 'close' });
    return;
  }

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method, headers: upstreamRequestHeaders(req.headers, accessToken, method) });
  let finished = false;

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

  if (bodyless) {
    upstream.end();
    return;
  }
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
