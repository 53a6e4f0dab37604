/**
 * The two long-lived McpServer instances of the fast path, one per protocol era, each connected once
 * to a multiplexing transport. Built from the same `def.register`, so both eras serve the same surface.
 */
import {
  McpServer,
  PerRequestHTTPServerTransport,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { ExchangeRouter, type InboundRequest, type InboundSink } from './exchange-router.ts';
import type { ServerResponse } from 'node:http';
import type { RequestOutcome } from './metrics.ts';
import { MODERN_REVISION } from './sdk-internals.ts';

/** What both era transports offer the endpoint. */
export interface SharedEraServer {
  dispatch(request: InboundRequest, res: ServerResponse, callerKey: string): Promise<RequestOutcome>;
  /** Cancels the one open request with this client id and caller (2025-era notifications/cancelled). */
  cancel(clientId: string | number, callerKey: string, reason: string | undefined): boolean;
  /** Exchanges in flight on this instance. */
  readonly inflight: number;
  close(): Promise<void>;
}

/** 2025-era transport: a plain long-lived Transport (the instance is never `initialize`d, like a fresh stateless one). */
class LegacyMuxTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly router: ExchangeRouter;
  constructor(keepAliveMs: number) {
    this.router = new ExchangeRouter(false, keepAliveMs);
  }
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.router.send(message, options);
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}

/**
 * 2026-07-28 transport. It extends the SDK's per-request transport only so that `Server.connect`
 * recognizes the classification and binds the instance to the modern revision (the same binding the
 * SDK's entry performs per request); every Transport method is overridden to multiplex instead.
 */
class ModernMuxTransport extends PerRequestHTTPServerTransport {
  readonly router: ExchangeRouter;
  constructor(keepAliveMs: number) {
    super({ classification: { era: 'modern', revision: MODERN_REVISION }, responseMode: 'auto' });
    this.router = new ExchangeRouter(true, keepAliveMs);
  }
  override async start(): Promise<void> {}
  override async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.router.send(message, options);
  }
  override async close(): Promise<void> {
    this.onclose?.();
  }
}

function sinkOf(transport: { onmessage?: InboundSink | undefined }): InboundSink {
  return (message, extra) => transport.onmessage?.(message, extra);
}

async function connectShared(server: McpServer, transport: LegacyMuxTransport | ModernMuxTransport, extra?: MessageExtraInfo): Promise<SharedEraServer> {
  await server.connect(transport);
  const sink = sinkOf(transport as { onmessage?: InboundSink });
  return {
    dispatch: (request, res, callerKey) => transport.router.dispatch(sink, request, res, callerKey, extra),
    cancel: (clientId, callerKey, reason) => transport.router.cancelClientRequest(sink, clientId, callerKey, reason),
    get inflight() {
      return transport.router.size;
    },
    async close() {
      transport.router.cancelAll(sink);
      await server.close();
    },
  };
}

/**
 * Connects `legacyServer` and `modernServer` (fresh, registered instances) to their multiplexing transports.
 * `keepAliveMs`: SSE keep-alive interval for silent calls (0 disables).
 */
export async function connectSharedServers(
  legacyServer: McpServer,
  modernServer: McpServer,
  keepAliveMs: number,
): Promise<{ legacy: SharedEraServer; modern: SharedEraServer }> {
  const legacy = await connectShared(legacyServer, new LegacyMuxTransport(keepAliveMs));
  const modern = await connectShared(modernServer, new ModernMuxTransport(keepAliveMs), {
    classification: { era: 'modern', revision: MODERN_REVISION },
  });
  return { legacy, modern };
}
