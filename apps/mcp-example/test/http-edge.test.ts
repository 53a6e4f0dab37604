/**
 * The HTTP edge of mcp-example with raw fetch on loopback: every refusal is the right status with a
 * JSON-RPC error body (never HTML), and the probes answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp } from '../src/app.ts';

const MAX_BODY = 4096;
const GOOD_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const ECHO = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } };

let app: RunningMcpApp;

beforeAll(async () => {
  app = await startMcpApp(createApp(), {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
    maxBodyBytes: MAX_BODY,
    allowedOrigins: ['https://app.example.com'],
  });
});
afterAll(async () => {
  await app.close();
});

async function expectJsonRpcError(response: Response, status: number, code: number): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { jsonrpc: string; error: { code: number; message: string }; id: unknown };
  expect(body.jsonrpc).toBe('2.0');
  expect(body.error.code).toBe(code);
  expect(body.id).toBeNull();
  return body.error.message;
}

describe('mcp-example HTTP edge', () => {
  it('answers a well-formed call (JSON, no SSE needed)', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: GOOD_HEADERS, body: JSON.stringify(ECHO) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'hi' }] } });
  });

  it('refuses an oversized body with 413', async () => {
    const big = { ...ECHO, params: { name: 'echo', arguments: { text: 'x'.repeat(MAX_BODY) } } };
    const message = await expectJsonRpcError(await fetch(app.url, { method: 'POST', headers: GOOD_HEADERS, body: JSON.stringify(big) }), 413, -32000);
    expect(message).toMatch(/4096 bytes/);
  });

  it('refuses an oversized chunked body (no Content-Length) with 413', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(2000)));
        controller.close();
      },
    });
    const response = await fetch(app.url, { method: 'POST', headers: GOOD_HEADERS, body: chunks, duplex: 'half' } as RequestInit);
    await expectJsonRpcError(response, 413, -32000);
  });

  it('refuses a bad Origin with 403, accepts a listed one', async () => {
    const bad = await fetch(app.url, { method: 'POST', headers: { ...GOOD_HEADERS, origin: 'https://evil.example' }, body: JSON.stringify(ECHO) });
    expect(await expectJsonRpcError(bad, 403, -32000)).toMatch(/origin/);
    const good = await fetch(app.url, { method: 'POST', headers: { ...GOOD_HEADERS, origin: 'https://app.example.com' }, body: JSON.stringify(ECHO) });
    expect(good.status).toBe(200);
  });

  it('refuses malformed JSON with 400 and -32700', async () => {
    await expectJsonRpcError(await fetch(app.url, { method: 'POST', headers: GOOD_HEADERS, body: '{"jsonrpc":"2.0",' }), 400, -32700);
  });

  it('refuses a wrong Accept header with 406', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: { ...GOOD_HEADERS, accept: 'text/html' }, body: JSON.stringify(ECHO) });
    await expectJsonRpcError(response, 406, -32000);
  });

  it('refuses a wrong content type with 415', async () => {
    const response = await fetch(app.url, { method: 'POST', headers: { ...GOOD_HEADERS, 'content-type': 'text/plain' }, body: JSON.stringify(ECHO) });
    await expectJsonRpcError(response, 415, -32000);
  });

  it('answers GET on the MCP path with 405 (stateless: no standalone stream)', async () => {
    const response = await fetch(app.url, { headers: { accept: 'text/event-stream' } });
    await expectJsonRpcError(response, 405, -32000);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const base = new URL('/', app.url);
    expect((await fetch(new URL('/healthz', base))).status).toBe(200);
    expect((await fetch(new URL('/readyz', base))).status).toBe(200);
    const metrics = await (await fetch(new URL('/metrics', base))).text();
    expect(metrics).toMatch(/mcp_requests_total\{method="tools\/call",tool="echo",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/mcp_http_rejections_total\{status="413",reason="body_size"\} 2/);
  });
});
