/**
 * The page's watching fetch (src/web/exchange.ts) over real HTTP on loopback, with the official MCP client on
 * top: an answer that breaks off (the socket destroyed mid-stream, as when a server is killed behind the
 * gateway), a stream that ends without the answer, and a JSON body cut short each settle the call as failed
 * with the reason, instead of leaving it waiting; a normal answer and the log of exchanges are untouched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { BROKEN_ANSWER, createWatchingFetch, ExchangeLog } from '../src/web/exchange.ts';

type Behaviour = 'complete' | 'destroy-mid-stream' | 'end-without-answer' | 'json-cut-short';

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A stateless MCP endpoint stand-in: initialize answers as JSON; tools/call behaves as told. */
async function mcpServer(behaviour: Behaviour): Promise<URL> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST') return res.writeHead(405).end();
      const message = JSON.parse(body) as { id?: number; method: string; params?: { _meta?: { progressToken?: unknown } } };
      if (message.id === undefined) return res.writeHead(202).end();
      if (message.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'stand-in', version: '1' } } }));
      }
      const answer = JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'done' }] } });
      if (behaviour === 'json-cut-short') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) });
        res.write(answer.slice(0, 10));
        return setTimeout(() => res.destroy(), 50);
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: message.params?._meta?.progressToken ?? 0, progress: 2, total: 10, message: 'step 2 of 10' } };
      res.write(`event: message\ndata: ${JSON.stringify(progress)}\n\n`);
      setTimeout(() => {
        if (behaviour === 'destroy-mid-stream') return res.destroy();
        if (behaviour === 'end-without-answer') return res.end();
        res.end(`event: message\ndata: ${answer}\n\n`);
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

async function call(behaviour: Behaviour) {
  const log = new ExchangeLog();
  const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
  await client.connect(new StreamableHTTPClientTransport(await mcpServer(behaviour), { fetch: createWatchingFetch(log) }));
  const progress: string[] = [];
  const from = log.nextSeq;
  const outcome = await client.callTool({ name: 'long_task', arguments: { steps: 10 } }, { onprogress: (p) => progress.push(p.message ?? '') }).then(
    (result) => ({ result }),
    (error: { code?: number; message: string; data?: { kind?: string } }) => ({ error }),
  );
  await client.close();
  return { outcome, progress, exchange: log.find(from, 'tools/call', 'long_task') };
}

describe('the watching fetch', () => {
  it('passes a complete answer through and logs the request with what answered it', async () => {
    const { outcome, progress, exchange } = await call('complete');
    expect(outcome).toEqual({ result: { content: [{ type: 'text', text: 'done' }] } });
    expect(progress).toEqual(['step 2 of 10']);
    expect(exchange?.request).toMatchObject({ method: 'tools/call', params: { name: 'long_task', arguments: { steps: 10 } } });
    expect(exchange?.status).toBe(200);
    expect(exchange?.messages).toHaveLength(2);
  });

  it('ends the call as failed when the connection breaks off mid-stream (the old page waited for ever)', async () => {
    const { outcome, progress, exchange } = await call('destroy-mid-stream');
    expect(progress).toEqual(['step 2 of 10']);
    expect(outcome).toMatchObject({ error: { data: { kind: BROKEN_ANSWER }, message: expect.stringContaining('the connection broke off before the server answered') } });
    expect(exchange?.messages.at(-1)).toMatchObject({ error: { data: { kind: BROKEN_ANSWER } } });
  });

  it('ends the call as failed when the stream closes without the answer', async () => {
    const { outcome } = await call('end-without-answer');
    expect(outcome).toMatchObject({ error: { data: { kind: BROKEN_ANSWER }, message: expect.stringContaining('the server closed the stream before answering') } });
  });

  it('ends the call as failed when a JSON answer is cut short', async () => {
    const { outcome } = await call('json-cut-short');
    expect(outcome).toMatchObject({ error: { data: { kind: BROKEN_ANSWER } } });
  });
});
