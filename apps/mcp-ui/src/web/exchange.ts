/**
 * The fetch the page's MCP client uses. It passes every byte through unchanged, and:
 * - records each JSON-RPC request with the messages that answered it (the raw request/response view);
 * - ends a request whose answer broke off (a server killed mid-call, a proxy cutting the stream, a body that
 *   stops short) with a JSON-RPC error in the same stream, so the SDK's call settles as failed instead of
 *   waiting for ever. A request the page itself aborted (Cancel, leaving the server) is left to fail as aborted.
 * No DOM: it runs in the page and in Node's tests alike.
 */

/** The `error.data.kind` of an answer that broke off before the server answered. */
export const BROKEN_ANSWER = 'broken_answer';

/** One JSON-RPC request and what came back for it. */
export interface Exchange {
  seq: number;
  method: string;
  /** tools/call and prompts/get: the name; resources/read: the URI. */
  target?: string;
  request: unknown;
  status?: number;
  messages: unknown[];
}

/** The last exchanges of a connection, newest last. */
export class ExchangeLog {
  readonly entries: Exchange[] = [];
  private seq = 0;
  private readonly limit: number;
  constructor(limit = 100) {
    this.limit = limit;
  }
  add(request: Record<string, unknown>): Exchange {
    const params = (request.params ?? {}) as { name?: unknown; uri?: unknown };
    const target = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
    const exchange: Exchange = { seq: ++this.seq, method: String(request.method), ...(target !== undefined ? { target } : {}), request, messages: [] };
    this.entries.push(exchange);
    if (this.entries.length > this.limit) this.entries.shift();
    return exchange;
  }
  /** The number the next exchange gets: note it before a call, then find the call's exchange with `after`. */
  get nextSeq(): number {
    return this.seq + 1;
  }
  /** The first exchange for `method` (and `target`) from sequence number `from` on. */
  find(from: number, method: string, target?: string): Exchange | undefined {
    return this.entries.find((e) => e.seq >= from && e.method === method && (target === undefined || e.target === target));
  }
}

type JsonRpcId = string | number;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The JSON-RPC requests (with ids) of a POST body. */
function requestsOf(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && typeof (m as { method?: unknown }).method === 'string' && ((m as { id?: unknown }).id !== undefined));
}

/** The id of a JSON-RPC response, or undefined for anything else. */
function responseId(message: unknown): JsonRpcId | undefined {
  const m = message as { id?: unknown; result?: unknown; error?: unknown; method?: unknown } | null;
  if (!m || typeof m !== 'object' || m.method !== undefined || !('result' in m || 'error' in m)) return undefined;
  return typeof m.id === 'string' || typeof m.id === 'number' ? m.id : undefined;
}

/** The error answer the page puts in place of one that never came. */
export function brokenAnswer(id: JsonRpcId, why: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code: -32000, message: why, data: { kind: BROKEN_ANSWER } } };
}

const encoder = new TextEncoder();

/** Passes an SSE body through, watching for the answers to `pending`; adds an error event for any that never came. */
function watchEventStream(body: ReadableStream<Uint8Array>, pending: Set<JsonRpcId>, exchanges: Map<JsonRpcId, Exchange>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const scan = (text: string) => {
    buffer += text;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, '')).join('\n');
      if (!data) continue;
      const message = parseJson(data);
      const id = responseId(message);
      for (const exchange of new Set(exchanges.values())) if (id === undefined || exchanges.get(id) === exchange) exchange.messages.push(message);
      if (id !== undefined) pending.delete(id);
    }
  };
  const settle = (controller: ReadableStreamDefaultController<Uint8Array>, why: string) => {
    for (const id of pending) {
      const answer = brokenAnswer(id, why);
      exchanges.get(id)?.messages.push(answer);
      controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(answer)}\n\n`));
    }
    pending.clear();
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) return controller.error(error);
        return settle(controller, 'the connection broke off before the server answered');
      }
      if (chunk.done) return settle(controller, 'the server closed the stream before answering');
      scan(decoder.decode(chunk.value, { stream: true }));
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * A fetch for StreamableHTTPClientTransport: same requests, same answers, plus the exchange log and the
 * settling of broken answers described above.
 */
export function createWatchingFetch(log: ExchangeLog, base: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return async (input, init) => {
    const requests = init?.method === 'POST' && typeof init.body === 'string' ? requestsOf(parseJson(init.body)) : [];
    const exchanges = new Map<JsonRpcId, Exchange>(requests.map((request) => [request.id as JsonRpcId, log.add(request)]));
    const response = await base(input, init);
    for (const exchange of exchanges.values()) exchange.status = response.status;
    if (exchanges.size === 0 || !response.ok || !response.body) return response;
    const type = response.headers.get('content-type') ?? '';
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    const signal = init?.signal ?? undefined;
    if (type.includes('text/event-stream')) {
      const body = watchEventStream(response.body, new Set(exchanges.keys()), exchanges, signal);
      return new Response(body, { status: response.status, statusText: response.statusText, headers });
    }
    if (type.includes('application/json')) {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw error;
        const answers = [...exchanges.keys()].map((id) => brokenAnswer(id, 'the connection broke off before the server answered'));
        text = JSON.stringify(answers.length === 1 ? answers[0] : answers);
      }
      const parsed = parseJson(text);
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        const id = responseId(message);
        (id !== undefined ? exchanges.get(id) : undefined)?.messages.push(message);
      }
      return new Response(text, { status: response.status, statusText: response.statusText, headers });
    }
    return response;
  };
}
