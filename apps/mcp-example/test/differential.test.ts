/**
 * The differential test: the same raw requests against the runtime's fast path and against the SDK's own
 * handler (`MCP_ENDPOINT=sdk`, `createMcpHandler` per request), in both protocol eras, for every method the
 * servers serve, refusals and errors, progress and log streams, and cancellation. Status, the headers that
 * matter and the JSON-RPC messages must be the same.
 *
 * One difference is allowed, because the specification allows it: the SDK's 2025-era fallback answers every
 * request on an SSE stream, while the fast path answers plain JSON unless something streams. When the answer
 * is a single message its framing may differ; the message itself may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServer } from '@modelcontextprotocol/server';
import { startMcpApp, type EndpointKind, type McpAppDefinition, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, type TaskEvent } from '../src/app.ts';
import { casesFor, registerDifferentialTools, request, type Era, type WireCase } from './differential-cases.ts';

const ACCEPT = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const ENDPOINTS: EndpointKind[] = ['fast', 'sdk'];
/** Headers of transport framing or of the connection, not of the exchange. */
const FRAMING_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
/** Headers that come only with an SSE stream. */
const STREAM_HEADERS = new Set(['content-type', 'cache-control', 'x-accel-buffering']);

interface Observed {
  status: number;
  framing: 'json' | 'sse' | 'empty' | 'other';
  headers: Record<string, string>;
  messages: unknown[];
}

/** Orders object keys, so messages compare by content (the two paths serialize members in another order). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, inner]) => [key, canonical(inner)]));
}

function messagesOfStream(text: string): unknown[] {
  return text
    .split('\n\n')
    .flatMap((event) => event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()))
    .filter((data) => data !== '')
    .map((data) => JSON.parse(data));
}

async function observe(response: Response): Promise<Observed> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const framing = text === '' ? 'empty' : type.startsWith('text/event-stream') ? 'sse' : type.startsWith('application/json') ? 'json' : 'other';
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !FRAMING_HEADERS.has(name)));
  const messages = framing === 'sse' ? messagesOfStream(text) : framing === 'json' ? [JSON.parse(text)] : framing === 'other' ? [text] : [];
  return { status: response.status, framing, headers, messages: messages.map(canonical) };
}

/** Compares what matters; the framing of a single 2025-era message may differ (see the file comment). */
function expectSameAnswer(fast: Observed, sdk: Observed, era: Era | 'none'): void {
  expect(fast.status).toBe(sdk.status);
  expect(fast.messages).toEqual(sdk.messages);
  expect(fast.framing === 'other' || sdk.framing === 'other').toBe(false);
  const framingMayDiffer = era !== '2026-07-28' && sdk.messages.length === 1 && sdk.framing === 'sse' && fast.framing === 'json';
  if (framingMayDiffer) {
    const rest = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !STREAM_HEADERS.has(name)));
    expect(rest(fast.headers)).toEqual(rest(sdk.headers));
    expect(fast.headers['content-type']).toBe('application/json');
  } else {
    expect(fast.framing).toBe(sdk.framing);
    expect(fast.headers).toEqual(sdk.headers);
  }
}

/** mcp-example with the conformance fixtures, the test's own tools, and an observer of long_task runs. */
function definition(events: TaskEvent[]): McpAppDefinition {
  const base = createApp({ conformanceFixtures: true, stepMs: 5, onTaskEvent: (event) => events.push(event) });
  return {
    ...base,
    register(server: McpServer) {
      base.register(server);
      registerDifferentialTools(server);
    },
  };
}

const apps = new Map<EndpointKind, { app: RunningMcpApp; events: TaskEvent[] }>();
beforeAll(async () => {
  for (const endpoint of ENDPOINTS) {
    const events: TaskEvent[] = [];
    const app = await startMcpApp(definition(events), { port: 0, host: '127.0.0.1', logLevel: 'error', endpoint }, { logSink: () => {} });
    apps.set(endpoint, { app, events });
  }
});
afterAll(async () => {
  await Promise.all([...apps.values()].map(({ app }) => app.close()));
});

function send(endpoint: EndpointKind, wire: Omit<WireCase, 'name'>, signal?: AbortSignal): Promise<Response> {
  return fetch(apps.get(endpoint)!.app.url, { method: 'POST', headers: { ...ACCEPT, ...wire.headers }, body: JSON.stringify(wire.body), ...(signal && { signal }) });
}

describe.each<Era>(['2025-11-25', '2026-07-28'])('the fast path answers as the SDK does (%s)', (era) => {
  it.each(casesFor(era).map((wire) => [wire.name, wire] as const))('%s', async (_name, wire) => {
    const [fast, sdk] = await Promise.all(ENDPOINTS.map(async (endpoint) => observe(await send(endpoint, wire))));
    expectSameAnswer(fast!, sdk!, wire.headers['mcp-protocol-version'] === undefined ? 'none' : era);
  });

  it('a client that closes the exchange cancels the call on both (the handler sees its signal abort)', async () => {
    for (const endpoint of ENDPOINTS) {
      const { events } = apps.get(endpoint)!;
      const before = events.length;
      const aborter = new AbortController();
      const wire = request(era, `cancel-${endpoint}`, 'tools/call', { name: 'long_task', arguments: { steps: 100, stepMs: 20 }, _meta: { progressToken: 'c' } });
      const response = await send(endpoint, wire, aborter.signal);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read(); // the first progress notification: the handler runs
      aborter.abort();
      await reader.cancel().catch(() => {});
      const deadline = Date.now() + 20_000;
      while (!events.slice(before).some((event) => event.type === 'cancelled')) {
        if (Date.now() > deadline) throw new Error(`${endpoint}: long_task was not cancelled: ${JSON.stringify(events.slice(before))}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(events.slice(before).some((event) => event.type === 'completed'), endpoint).toBe(false);
    }
  });
});

describe('2025-era notifications/cancelled', () => {
  it('is accepted alike (202, no body); only the fast path can reach the call it names', async () => {
    // On the SDK's handler every POST gets a fresh server, so a cancel on its own POST finds nothing to cancel;
    // the fast path's shared instance holds the open call. The answer to the notification itself is the same.
    const [fast, sdk] = await Promise.all(
      ENDPOINTS.map(async (endpoint) => observe(await send(endpoint, { headers: { 'mcp-protocol-version': '2025-11-25' }, body: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'nothing-open', reason: 'test' } } }))),
    );
    expectSameAnswer(fast!, sdk!, '2025-11-25');
    expect(fast).toMatchObject({ status: 202, framing: 'empty' });
  });
});
