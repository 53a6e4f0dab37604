/**
 * The fast endpoint: hot-path requests of both eras go to two long-lived McpServer instances (built
 * once, not per request), answered with JSON unless the handler streams; everything else is handed to
 * the SDK's per-request entry, unchanged.
 */
import type { IncomingMessage } from 'node:http';
import { callerOf } from './caller.ts';
import type { McpEndpoint } from './endpoint.ts';
import type { InboundRequest } from './exchange-router.ts';
import { chooseLeg, legacyCancellation, type SlowTools, type StandardHeaders } from './fast-route.ts';
import { buildMcpServer } from './sdk-endpoint.ts';
import { connectSharedServers } from './shared-servers.ts';
import { MODERN_REVISION } from './sdk-internals.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import type { McpAppDefinition } from './types.ts';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function standardHeaders(req: IncomingMessage): StandardHeaders {
  return {
    protocolVersion: header(req, 'mcp-protocol-version'),
    mcpMethod: header(req, 'mcp-method'),
    mcpName: header(req, 'mcp-name'),
  };
}

/** Creates the fast endpoint in front of `fallback` (the SDK entry). */
export async function createFastEndpoint(
  def: McpAppDefinition,
  fallback: McpEndpoint,
  slowTools: SlowTools,
  keepAliveMs: number,
): Promise<McpEndpoint> {
  const shared = await connectSharedServers(
    buildMcpServer(def),
    buildMcpServer(def, [...SUPPORTED_PROTOCOL_VERSIONS, MODERN_REVISION]),
    keepAliveMs,
  );
  return {
    async handle(exchange) {
      const headers = standardHeaders(exchange.req);
      const leg = chooseLeg(exchange.body, headers, slowTools);
      // A 2025-era cancel names a request id, which every client counts from 0 or 1: it cancels only a request of
      // the same caller. Behind the gateway that is the verified caller, which a client cannot set or drop; a
      // request without one did not come through the gateway (a test, a direct client) and keeps the old key.
      const caller = callerOf(exchange.req);
      const callerKey = caller !== undefined ? `caller:${caller}` : `direct:${header(exchange.req, 'authorization') ?? ''}`;
      if (leg !== 'sdk') return shared[leg].dispatch(exchange.body as InboundRequest, exchange.res, callerKey);
      const cancel = legacyCancellation(exchange.body, headers);
      if (cancel !== undefined && shared.legacy.cancel(cancel.requestId, callerKey, cancel.reason)) {
        exchange.res.writeHead(202).end();
        return 'ok';
      }
      return fallback.handle(exchange);
    },
    async close() {
      await Promise.all([shared.legacy.close(), shared.modern.close(), fallback.close()]);
    },
  };
}
