/**
 * The endpoint as the SDK documents it: `createMcpHandler` with a per-request McpServer factory,
 * adapted to node:http by `toNodeHandler`. It serves what the fast path leaves to it, and everything when
 * MCP_ENDPOINT=sdk.
 */
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import type { McpEndpoint } from './endpoint.ts';
import type { RequestOutcome } from './metrics.ts';
import type { McpAppDefinition } from './types.ts';

/**
 * Builds one McpServer with the app's surface registered. `supportedProtocolVersions` is only set for
 * the shared 2026-07-28 instance (the SDK entry adds the modern revision to its per-request instances).
 */
export function buildMcpServer(def: McpAppDefinition, supportedProtocolVersions?: string[]): McpServer {
  const server = new McpServer(
    { name: def.name, version: def.version },
    {
      ...(def.instructions !== undefined && { instructions: def.instructions }),
      ...(supportedProtocolVersions !== undefined && { supportedProtocolVersions }),
    },
  );
  def.register(server);
  return server;
}

function outcomeOfStatus(status: number): RequestOutcome {
  if (status < 400) return 'ok';
  if (status >= 500) return 'internal_error';
  return 'protocol_error';
}

/** Creates the SDK-documented endpoint. `onerror` receives out-of-band errors (never request data). */
export function createSdkEndpoint(
  def: McpAppDefinition,
  maxBodyBytes: number,
  onerror: (error: Error) => void,
  keepAliveMs = 15_000,
): McpEndpoint {
  const handler = createMcpHandler(() => buildMcpServer(def), { onerror, maxRequestBodySize: maxBodyBytes, keepAliveMs });
  const nodeHandler = toNodeHandler(handler, { onerror, maxRequestBodySize: maxBodyBytes });
  return {
    async handle({ req, res, body }) {
      await nodeHandler(req, res, body);
      return outcomeOfStatus(res.statusCode);
    },
    close: () => handler.close(),
  };
}
