/**
 * startMcpApp over real HTTP on loopback with a small test app: edge answers, probes, logs (no secrets),
 * id isolation between concurrent clients on the shared instances, the SDK-only endpoint, graceful close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp, type McpAppDefinition, type RunningMcpApp } from '../src/index.ts';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A test app: `wait` resolves when the test releases it, `whoami` echoes its argument. */
function testApp(options: { ready?: () => Promise<boolean>; onClose?: () => void } = {}) {
  const releases: Array<() => void> = [];
  const def: McpAppDefinition = {
    name: 'runtime-test',
    version: '9.9.9',
    register(server) {
      server.registerTool('whoami', { inputSchema: z.object({ who: z.string() }) }, ({ who }) => ({ content: [{ type: 'text', text: who }] }));
      server.registerTool('wait', { inputSchema: z.object({ label: z.string() }) }, async ({ label }) => {
        await new Promise<void>((resolve) => releases.push(resolve));
        return { content: [{ type: 'text', text: `released ${label}` }] };
      });
    },
    ...(options.ready !== undefined && { ready: options.ready }),
    close: async () => options.onClose?.(),
  };
  return { def, release: () => releases.splice(0).forEach((resolve) => resolve()), waiting: () => releases.length };
}

const running: RunningMcpApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(def: McpAppDefinition, extra: Parameters<typeof startMcpApp>[2] = {}, config: Parameters<typeof startMcpApp>[1] = {}) {
  const lines: string[] = [];
  const app = await startMcpApp(def, { port: 0, host: '127.0.0.1', logLevel: 'info', ...config }, { logSink: (text) => lines.push(...text.trimEnd().split('\n')), ...extra });
  running.push(app);
  return { app, lines };
}

function post(app: RunningMcpApp, body: unknown, headers: Record<string, string> = {}) {
  return fetch(app.url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });
}

describe('startMcpApp', () => {
  it('keeps concurrent requests with the same JSON-RPC id apart on the shared instance', async () => {
    const { def } = testApp();
    const { app } = await start(def);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { who: `caller-${index}` } } }).then((response) => response.json()),
      ),
    );
    answers.forEach((answer, index) => expect(answer).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: `caller-${index}` }] } }));
  });

  it('answers requests that are not valid JSON-RPC with 400 / -32600 instead of hanging', async () => {
    const { def } = testApp();
    const { app } = await start(def);
    for (const body of [
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { who: 'x' }, _meta: { progressToken: {} } } },
      { jsonrpc: '2.0', id: 2, method: 'tools/list', unexpected: true },
      { jsonrpc: '1.0', id: 3, method: 'tools/list' },
    ]) {
      const response = await post(app, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32600);
    }
    // The same for a 2026-07-28 request (envelope and headers in order, one member too many).
    const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
    const modern = await post(
      app,
      { jsonrpc: '2.0', id: 4, method: 'tools/list', params: { _meta: envelope }, unexpected: true },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    );
    expect(modern.status).toBe(400);
    expect(((await modern.json()) as { error: { code: number } }).error.code).toBeLessThan(0);
  });

  it('logs one JSON line per request without the Authorization header or the arguments', async () => {
    const { def } = testApp();
    const { app, lines } = await start(def);
    const response = await post(
      app,
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'whoami', arguments: { who: 'secret-argument-value' } } },
      { authorization: 'Bearer secret-token-value' },
    );
    expect(response.status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    const requestLines = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'mcp request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ level: 'info', service: 'runtime-test', method: 'tools/call', tool: 'whoami', status: 200, outcome: 'ok' });
    expect(requestLines[0]!.duration_ms).toEqual(expect.any(Number));
    expect(lines.join('\n')).not.toMatch(/secret-token-value|secret-argument-value|authorization/i);
  });

  it('counts outcomes per method and tool in /metrics', async () => {
    const { def } = testApp();
    const { app } = await start(def);
    await post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { who: 'a' } } });
    await post(app, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: { who: 42 } } });
    await post(app, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'nope', arguments: {} } });
    await post(app, { jsonrpc: '2.0', id: 4, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
    const text = await (await fetch(new URL('/metrics', app.url))).text();
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="whoami",outcome="ok"} 1');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="whoami",outcome="tool_error"} 1');
    expect(text).toContain('mcp_requests_total{method="tools/call",tool="unknown",outcome="protocol_error"} 1');
    expect(text).toContain('mcp_errors_total{method="tools/call",tool="whoami",type="tool_error"} 1');
    expect(text).toContain('mcp_requests_total{method="initialize",tool="",outcome="ok"} 1');
    expect(text).toContain('mcp_request_duration_seconds_count{method="tools/call",tool="whoami"} 2');
  });

  it('serves /metrics on METRICS_PORT alone when it is set (the port the network policy opens to the scraper)', async () => {
    const { def } = testApp();
    const { app, lines } = await start(def, {}, { metricsPort: 0 });
    await post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { who: 'a' } } });
    expect(app.metricsUrl.port).not.toBe(String(app.port));
    const scraped = await fetch(app.metricsUrl);
    expect(scraped.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await scraped.text()).toContain('mcp_requests_total{method="tools/call",tool="whoami",outcome="ok"} 1');
    // Neither the main port serves it, nor the metrics port anything else.
    expect((await fetch(new URL('/metrics', app.url))).status).toBe(404);
    expect((await fetch(new URL('/healthz', app.metricsUrl))).status).toBe(404);
    expect((await fetch(new URL('/mcp', app.metricsUrl), { method: 'POST', headers: HEADERS, body: '{}' })).status).toBe(404);
    const listening = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'listening');
    expect(listening).toMatchObject({ port: app.port, metrics_port: Number(app.metricsUrl.port) });
  });

  it('reports readiness from def.ready() and 404s unknown paths with JSON', async () => {
    let ready = false;
    const { def } = testApp({ ready: async () => ready });
    const { app } = await start(def);
    const base = new URL('/', app.url);
    expect((await fetch(new URL('/readyz', base))).status).toBe(503);
    ready = true;
    expect((await fetch(new URL('/readyz', base))).status).toBe(200);
    const missing = await fetch(new URL('/nope', base));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: number } }).error.code).toBe(-32000);
  });

  it('refuses a Host that is not allowed with 403 on the MCP path only', async () => {
    const { def } = testApp();
    const lines: string[] = [];
    const app = await startMcpApp(def, { port: 0, host: '127.0.0.1', logLevel: 'error', allowedHosts: ['mcp-example-service'] }, { logSink: (text) => lines.push(text) });
    running.push(app);
    const refused = await post(app, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/host "127.0.0.1" is not allowed/);
    // Probes by pod IP still work.
    expect((await fetch(new URL('/healthz', app.url))).status).toBe(200);
  });

  it('serves the same answers with the SDK-only endpoint', async () => {
    const { def } = testApp();
    const { app } = await start(def, {}, { endpoint: 'sdk' });
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(app.url));
    const result = await client.callTool({ name: 'whoami', arguments: { who: 'sdk' } });
    expect(result.content).toEqual([{ type: 'text', text: 'sdk' }]);
    await client.close();
  });

  it('close() stops accepting, lets the in-flight call finish, then calls def.close()', async () => {
    let closedApp = false;
    const test = testApp({ onClose: () => (closedApp = true) });
    const app = await startMcpApp(test.def, { port: 0, host: '127.0.0.1', logLevel: 'error', shutdownTimeoutMs: 5_000 });
    const inflight = post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: { label: 'a' } } });
    while (test.waiting() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = app.close();
    await expect(fetch(new URL('/healthz', app.url))).rejects.toThrow();
    expect(closedApp).toBe(false);
    test.release();
    const answer = (await (await inflight).json()) as { result: { content: Array<{ text: string }> } };
    expect(answer.result.content[0]!.text).toBe('released a');
    await closing;
    expect(closedApp).toBe(true);
  });

  it('close() gives up on calls still running after shutdownTimeoutMs', async () => {
    const test = testApp();
    const app = await startMcpApp(test.def, { port: 0, host: '127.0.0.1', logLevel: 'error', shutdownTimeoutMs: 100 });
    const inflight = post(app, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: { label: 'b' } } }).then(
      (response) => response.text(),
      (error: unknown) => error,
    );
    while (test.waiting() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await app.close();
    expect(await inflight).toBeInstanceOf(Error);
    test.release();
  });
});

describe('long silent calls', () => {
  it('are switched to SSE and kept alive with comments, then answered on the stream', async () => {
    const test = testApp();
    const { app } = await start(test.def, { sseKeepAliveMs: 60 });
    const response = await post(app, { jsonrpc: '2.0', id: 'k', method: 'tools/call', params: { name: 'wait', arguments: { label: 'slow' } } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes(': keepalive')) text += new TextDecoder().decode((await reader.read()).value);
    test.release();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain('event: message\ndata: {"result":{"content":[{"type":"text","text":"released slow"}]},"jsonrpc":"2.0","id":"k"}');
  });
});

describe('2025-era cancellation (notifications/cancelled names only a request id)', () => {
  const cancel = (requestId: number) => ({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } });
  const wait = (label: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wait', arguments: { label } } });

  it("cancels only a request of the same gateway-verified caller, and logs that caller on the request's line", async () => {
    const { def, release, waiting } = testApp();
    const { app, lines } = await start(def);
    const a = post(app, wait('a'), { 'x-mcp-caller': 'caller-a' }).then((r) => r.text());
    const b = post(app, wait('b'), { 'x-mcp-caller': 'caller-b' }).then((r) => r.text());
    await expect.poll(waiting).toBe(2);
    // Not a's: b's id is the same (1), yet a cancel from caller-b must leave a alone.
    expect((await post(app, cancel(1), { 'x-mcp-caller': 'caller-b' })).status).toBe(202);
    release();
    expect(await a).toContain('released a');
    expect(await b).not.toContain('released');
    await expect.poll(() => lines.some((l) => l.includes('"caller":"caller-a"') && l.includes('"outcome":"ok"'))).toBe(true);
    expect(lines.some((l) => l.includes('"caller":"caller-b"') && l.includes('"outcome":"cancelled"'))).toBe(true);
  });

  it("never lets a cancel without a verified caller reach a request that has one (a caller-less request keeps the Authorization key)", async () => {
    const { def, release, waiting } = testApp();
    const { app } = await start(def);
    const a = post(app, wait('a'), { 'x-mcp-caller': 'caller-a' }).then((r) => r.text());
    const direct = post(app, wait('direct')).then((r) => r.text());
    await expect.poll(waiting).toBe(2);
    // Without x-mcp-caller the request did not come through the gateway: it matches only the other caller-less one.
    expect((await post(app, cancel(1))).status).toBe(202);
    release();
    expect(await a).toContain('released a');
    expect(await direct).not.toContain('released');
  });
});
