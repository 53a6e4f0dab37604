/**
 * Multiplexes many concurrent HTTP exchanges onto ONE long-lived McpServer: each inbound request gets
 * a process-unique JSON-RPC id (clients all start at 1, so their ids collide), the server's answer is
 * routed back by that id with the client's id restored, and related notifications (progress) upgrade
 * that exchange's response to an SSE stream. A client that disconnects cancels its request through
 * the protocol's own `notifications/cancelled`, which aborts the handler's signal.
 */
import type { ServerResponse } from 'node:http';
import { ProtocolErrorCode, type JSONRPCMessage, type MessageExtraInfo, type TransportSendOptions } from '@modelcontextprotocol/server';
import type { RequestOutcome } from './metrics.ts';
import { PRE_DISPATCH_ERROR_STATUS } from './sdk-internals.ts';

type RequestId = string | number;

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

interface Exchange {
  res: ServerResponse;
  clientId: RequestId;
  /** Who sent it (the gateway-verified caller, else the Authorization value): a 2025-era cancel must come from the same caller. */
  callerKey: string;
  /** True while the message is being delivered synchronously (errors then are pre-dispatch refusals). */
  dispatching: boolean;
  streaming: boolean;
  /** When the response last carried bytes (or the exchange started), for SSE keep-alive comments. */
  lastWrite: number;
  done: boolean;
  finish: (outcome: RequestOutcome) => void;
}

/** A JSON-RPC request as it arrives (already validated as one request object). */
export interface InboundRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

/** The message sink a connected McpServer installs on its transport. */
export type InboundSink = (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

function outcomeOf(message: { error?: unknown; result?: { isError?: unknown } }): RequestOutcome {
  if (message.error !== undefined) return 'protocol_error';
  return message.result?.isError === true ? 'tool_error' : 'ok';
}

/** Routes one server's outbound messages to the HTTP exchanges waiting for them. */
export class ExchangeRouter {
  private readonly pending = new Map<number, Exchange>();
  private nextId = 0;
  /** Whether pre-dispatch JSON-RPC errors get a 4xx status (the 2026-07-28 entry does; 2025 answers 200). */
  private readonly preDispatchStatus: boolean;
  private readonly keepAliveMs: number;
  private keepAliveTimer: NodeJS.Timeout | undefined;

  /**
   * @param keepAliveMs - a call silent for this long is switched to SSE and sent `: keepalive` comments at
   *   this interval, so proxies with idle timeouts do not cut long calls (the SDK streams do the same); 0 disables.
   */
  constructor(preDispatchStatus: boolean, keepAliveMs = 15_000) {
    this.preDispatchStatus = preDispatchStatus;
    this.keepAliveMs = keepAliveMs;
  }

  /** Exchanges still waiting for an answer. */
  get size(): number {
    return this.pending.size;
  }

  /** Delivers `request` to the server through `sink` and resolves once its response has been written. */
  dispatch(
    sink: InboundSink,
    request: InboundRequest,
    res: ServerResponse,
    callerKey: string,
    extra?: MessageExtraInfo,
  ): Promise<RequestOutcome> {
    const internalId = (this.nextId = (this.nextId + 1) % Number.MAX_SAFE_INTEGER);
    return new Promise<RequestOutcome>((resolve) => {
      const exchange: Exchange = {
        res,
        clientId: request.id,
        callerKey,
        dispatching: true,
        streaming: false,
        lastWrite: Date.now(),
        done: false,
        finish: resolve,
      };
      this.pending.set(internalId, exchange);
      this.armKeepAlive();
      res.once('close', () => {
        if (exchange.done) return;
        exchange.done = true;
        this.pending.delete(internalId);
        sink({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: internalId, reason: 'client disconnected' } });
        resolve('cancelled');
      });
      sink({ jsonrpc: '2.0', id: internalId, method: request.method, params: request.params } as JSONRPCMessage, extra);
      exchange.dispatching = false;
    });
  }

  /** Transport.send: a response ends its exchange; a related message streams on it. */
  send(message: JSONRPCMessage, options?: TransportSendOptions): void {
    const candidate = message as { id?: RequestId; method?: string; result?: { isError?: unknown }; error?: { code: number } };
    const isResponse = candidate.method === undefined && candidate.id !== undefined;
    const internalId = isResponse ? candidate.id : options?.relatedRequestId;
    if (typeof internalId !== 'number') return;
    const exchange = this.pending.get(internalId);
    if (exchange === undefined || exchange.done) return;
    if (!isResponse) {
      this.stream(exchange, message);
      return;
    }
    this.pending.delete(internalId);
    exchange.done = true;
    candidate.id = exchange.clientId;
    if (exchange.streaming) {
      exchange.res.end(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    } else {
      const body = JSON.stringify(message);
      // As the SDK's per-request transport: refusals raised before the handler runs map to 4xx, and a
      // missing required client capability (-32021) is 400 wherever it is raised; handler errors are 200.
      const code = candidate.error?.code;
      const status =
        this.preDispatchStatus && code !== undefined && (exchange.dispatching || code === ProtocolErrorCode.MissingRequiredClientCapability)
          ? (PRE_DISPATCH_ERROR_STATUS[code] ?? 200)
          : 200;
      exchange.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      exchange.res.end(body);
    }
    exchange.finish(outcomeOf(candidate));
  }

  private stream(exchange: Exchange, message: JSONRPCMessage): void {
    this.write(exchange, `event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private write(exchange: Exchange, frame: string): void {
    if (!exchange.streaming) {
      exchange.streaming = true;
      exchange.res.writeHead(200, SSE_HEADERS);
    }
    exchange.lastWrite = Date.now();
    exchange.res.write(frame);
  }

  /** One unref'd timer per router, running only while exchanges are open. */
  private armKeepAlive(): void {
    if (this.keepAliveMs <= 0 || this.keepAliveTimer !== undefined) return;
    this.keepAliveTimer = setInterval(() => this.sendKeepAlives(), Math.max(10, Math.floor(this.keepAliveMs / 3)));
    this.keepAliveTimer.unref();
  }

  private sendKeepAlives(): void {
    if (this.pending.size === 0) {
      clearInterval(this.keepAliveTimer);
      this.keepAliveTimer = undefined;
      return;
    }
    const due = Date.now() - this.keepAliveMs;
    for (const exchange of this.pending.values()) {
      if (!exchange.done && exchange.lastWrite <= due) this.write(exchange, ': keepalive\n\n');
    }
  }

  /**
   * A 2025-era `notifications/cancelled` arrives as its own POST, naming the client's request id. Ids
   * are only unique per client, so the request is cancelled only when exactly one open exchange has that
   * id AND the same caller; otherwise nothing is cancelled. Returns whether one was.
   */
  cancelClientRequest(sink: InboundSink, clientId: RequestId, callerKey: string, reason: string | undefined): boolean {
    let match: [number, Exchange] | undefined;
    for (const entry of this.pending) {
      if (entry[1].clientId !== clientId || entry[1].callerKey !== callerKey) continue;
      if (match !== undefined) return false;
      match = entry;
    }
    if (match === undefined) return false;
    const [internalId, exchange] = match;
    exchange.done = true;
    this.pending.delete(internalId);
    sink({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: internalId, ...(reason !== undefined && { reason }) } });
    // A cancelled request gets no JSON-RPC response; end its stream so the HTTP exchange completes.
    if (!exchange.streaming) exchange.res.writeHead(200, SSE_HEADERS);
    exchange.res.end();
    exchange.finish('cancelled');
    return true;
  }

  /** Cancels every exchange still open (shutdown after the drain timeout). */
  cancelAll(sink: InboundSink): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
    for (const [internalId, exchange] of this.pending) {
      exchange.done = true;
      sink({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: internalId, reason: 'server shutting down' } });
      exchange.res.destroy();
      exchange.finish('cancelled');
    }
    this.pending.clear();
  }
}
