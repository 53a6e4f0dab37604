/**
 * The HTTP edge of the MCP path: every check the Streamable HTTP transport asks for before a message
 * reaches the protocol layer, answered with a JSON-RPC error body (never HTML).
 */
import type { IncomingMessage } from 'node:http';
import { checkHost, checkOrigin } from './guards.ts';
import { acceptsMcpResponses, isJsonContentType } from './http-checks.ts';
import { declaredLengthExceeds } from './body.ts';
import { JSONRPC_SERVER_ERROR } from './jsonrpc-errors.ts';
import type { RuntimeConfig } from './types.ts';

/** A refusal: HTTP status, JSON-RPC code and message, a short reason for metrics, extra headers. */
export interface EdgeRefusal {
  status: number;
  code: number;
  message: string;
  reason: string;
  headers?: Record<string, string>;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Checks run on the headers alone, in the order the spec implies (security first). */
export function checkMcpRequestHeaders(
  req: IncomingMessage,
  config: Pick<RuntimeConfig, 'allowedHosts' | 'allowedOrigins' | 'maxBodyBytes'>,
): EdgeRefusal | undefined {
  const host = checkHost(single(req.headers.host), config.allowedHosts);
  if (host !== undefined) return { status: host.status, code: JSONRPC_SERVER_ERROR, message: host.message, reason: 'host' };
  const origin = checkOrigin(single(req.headers.origin), config.allowedOrigins, single(req.headers.host));
  if (origin !== undefined) return { status: origin.status, code: JSONRPC_SERVER_ERROR, message: origin.message, reason: 'origin' };
  if (req.method !== 'POST') {
    return {
      status: 405,
      code: JSONRPC_SERVER_ERROR,
      message: 'Method not allowed: this stateless server accepts POST only',
      reason: 'method',
      headers: { allow: 'POST' },
    };
  }
  if (!acceptsMcpResponses(single(req.headers.accept))) {
    return {
      status: 406,
      code: JSONRPC_SERVER_ERROR,
      message: 'Not Acceptable: Accept must list application/json and text/event-stream',
      reason: 'accept',
    };
  }
  if (!isJsonContentType(single(req.headers['content-type']))) {
    return {
      status: 415,
      code: JSONRPC_SERVER_ERROR,
      message: 'Unsupported Media Type: Content-Type must be application/json',
      reason: 'content_type',
    };
  }
  if (declaredLengthExceeds(single(req.headers['content-length']), config.maxBodyBytes)) {
    return bodyTooLarge(config.maxBodyBytes);
  }
  return undefined;
}

/** The 413 refusal. */
export function bodyTooLarge(limit: number): EdgeRefusal {
  return {
    status: 413,
    code: JSONRPC_SERVER_ERROR,
    message: `Payload Too Large: request body must not exceed ${limit} bytes`,
    reason: 'body_size',
  };
}

/** The 503 for work past the in-flight bounds; the client may retry after a second. */
export function tooBusy(reason: 'inflight_requests' | 'inflight_bytes'): EdgeRefusal {
  const what = reason === 'inflight_requests' ? 'requests' : 'request bytes';
  return {
    status: 503,
    code: JSONRPC_SERVER_ERROR,
    message: `Service Unavailable: too many ${what} in flight, retry later`,
    reason,
    headers: { 'retry-after': '1' },
  };
}
