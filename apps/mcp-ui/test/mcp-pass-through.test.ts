/**
 * The page's API behind the gateway stand-in: the catalog with live probes, and the MCP pass-through spoken to
 * by the official SDK v2 client (as the page does), against mcp-example started in-process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent } from './support/agent.ts';
import { me, signIn } from './support/sign-in.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let agent: Agent;
let csrf: string;
beforeAll(async () => {
  stack = await startStack({ stepMs: 100 });
  agent = new Agent();
  await signIn(agent, stack.publicUrl);
  csrf = (await me(agent, stack.publicUrl)).body.csrfToken as string;
});
afterAll(async () => {
  await stack?.close();
});

const endpoint = (name = 'mcp-example') => new URL(`/ui/api/mcp/${name}`, stack.publicUrl);
const browserHeaders = () => ({ cookie: agent.cookieHeader(stack.publicUrl), 'x-csrf-token': csrf, origin: stack.publicUrl.origin });

async function connect(mode: 'legacy' | 'auto'): Promise<Client> {
  const client = new Client({ name: 'ui-test', version: '1' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(endpoint(), { requestInit: { headers: browserHeaders() } }));
  return client;
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

describe('catalog', () => {
  it('lists the servers of CATALOG_FILE with whether each answers through the gateway', async () => {
    const response = await agent.request(new URL('/ui/api/catalog', stack.publicUrl), { headers: { 'x-csrf-token': csrf } });
    expect(response.status).toBe(200);
    const { servers } = JSON.parse(response.text) as { servers: Record<string, unknown>[] };
    expect(servers.map((s) => [s.name, (s.health as { state: string }).state])).toEqual([
      ['mcp-example', 'ready'],
      ['mcp-offline', 'not_answering'],
    ]);
    expect(servers[0]).toMatchObject({ path: '/mcp/mcp-example', health: { serverInfo: { name: 'mcp-example' } } });
    expect(servers[0]!.description).toMatch(/Example tools/);
    expect(servers[1]).toMatchObject({ health: { detail: 'HTTP 404' } });

    const one = await agent.request(new URL('/ui/api/catalog/mcp-example', stack.publicUrl), { headers: { 'x-csrf-token': csrf } });
    expect(JSON.parse(one.text)).toMatchObject({ name: 'mcp-example', health: { state: 'ready' } });
    const unknown = await agent.request(new URL('/ui/api/catalog/mcp-nope', stack.publicUrl), { headers: { 'x-csrf-token': csrf } });
    expect(unknown.status).toBe(404);
  });

  it('needs a session and the CSRF token', async () => {
    expect((await new Agent().request(new URL('/ui/api/catalog', stack.publicUrl))).status).toBe(401);
    expect((await agent.request(new URL('/ui/api/catalog', stack.publicUrl))).status).toBe(403);
  });
});

describe('MCP pass-through', () => {
  for (const mode of ['legacy', 'auto'] as const) {
    it(`forwards calls with the user's access token (${mode} client)`, async () => {
      const before = stack.gateway.acceptedTokens.length;
      const client = await connect(mode);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'add', 'current_time', 'long_task', 'text_stats']));
        const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
        expect(result.content).toEqual([{ type: 'text', text: '42' }]);
        const bad = await client.callTool({ name: 'current_time', arguments: { timeZone: 'Mars/Olympus' } });
        expect(bad.isError).toBe(true);
      } finally {
        await client.close();
      }
      const accepted = stack.gateway.acceptedTokens.slice(before);
      expect(accepted.length).toBeGreaterThan(0);
      for (const token of accepted) expect(stack.provider.issuedAccessTokens).toContain(token);
    });
  }

  it('streams progress as it happens, before the call ends', async () => {
    const client = await connect('auto');
    try {
      const seenAtProgress: string[][] = [];
      const result = await client.callTool(
        { name: 'long_task', arguments: { steps: 4, stepMs: 100 } },
        {
          onprogress: () => {
            seenAtProgress.push(stack.taskEvents.map((e) => e.type));
          },
        },
      );
      expect(result.content).toEqual([{ type: 'text', text: 'Completed 4 steps' }]);
      expect(seenAtProgress.length).toBe(4);
      // The first progress notification reached the client while the server was still working.
      expect(seenAtProgress[0]!.at(-1)).toBe('step');
    } finally {
      await client.close();
    }
  });

  it('stops the server-side call when the client aborts (the connection closes end to end)', async () => {
    const client = await connect('auto');
    const controller = new AbortController();
    const started = stack.taskEvents.length;
    try {
      const call = client.callTool(
        { name: 'long_task', arguments: { steps: 50, stepMs: 100 } },
        { signal: controller.signal, onprogress: (p) => p.progress >= 2 && controller.abort() },
      );
      await expect(call).rejects.toThrow();
      await vi.waitFor(() => expect(stack.taskEvents.slice(started).some((e) => e.type === 'cancelled')).toBe(true), { timeout: 5000 });
      expect(stack.taskEvents.slice(started).some((e) => e.type === 'completed')).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('copies the MCP headers both ways and answers SSE as a stream', async () => {
    const response = await fetch(endpoint(), { method: 'POST', headers: { ...browserHeaders(), ...mcpHeaders }, body: initialize });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json|text\/event-stream/);
    expect(await response.text()).toContain('"serverInfo"');
    // A GET (the 2025 standalone SSE stream) reaches the server, which answers 405 in stateless mode.
    const get = await fetch(endpoint(), { headers: { ...browserHeaders(), accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' } });
    expect(get.status).toBe(405);
  });
});

describe('pass-through refusals', () => {
  it('refuses a request without the CSRF header', async () => {
    const { 'x-csrf-token': _omit, ...headers } = browserHeaders();
    const response = await fetch(endpoint(), { method: 'POST', headers: { ...headers, ...mcpHeaders }, body: initialize });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CSRF');
  });

  it('refuses a wrong CSRF token, another Origin, or a cross-site fetch', async () => {
    const variants: Record<string, string>[] = [{ 'x-csrf-token': 'nope' }, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
    for (const extra of variants) {
      const response = await fetch(endpoint(), { method: 'POST', headers: { ...browserHeaders(), ...mcpHeaders, ...extra }, body: initialize });
      expect(response.status).toBe(403);
    }
  });

  it('refuses without a session, and for names not in the catalog', async () => {
    const anonymous = await fetch(endpoint(), { method: 'POST', headers: { ...mcpHeaders, 'x-csrf-token': 'x' }, body: initialize });
    expect(anonymous.status).toBe(401);
    const unknown = await fetch(endpoint('mcp-secret'), { method: 'POST', headers: { ...browserHeaders(), ...mcpHeaders }, body: initialize });
    expect(unknown.status).toBe(404);
  });

  it('never forwards the cookie or the CSRF token upstream', async () => {
    const { upstreamRequestHeaders } = await import('../src/server/mcp-proxy.ts');
    const headers = upstreamRequestHeaders(
      { cookie: 'a=b', 'x-csrf-token': 't', origin: 'https://x', 'mcp-session-id': 's', 'mcp-param-region': 'eu', accept: 'text/event-stream' },
      'TOKEN',
      'GET',
    );
    expect(headers).toEqual({ authorization: 'Bearer TOKEN', 'mcp-session-id': 's', 'mcp-param-region': 'eu', accept: 'text/event-stream' });
  });

  it('frames every body it forwards: Content-Length as sent, else chunked; none for GET and DELETE', async () => {
    const { upstreamRequestHeaders } = await import('../src/server/mcp-proxy.ts');
    expect(upstreamRequestHeaders({ 'content-length': '12' }, 'T', 'POST')).toMatchObject({ 'content-length': '12' });
    expect(upstreamRequestHeaders({ 'transfer-encoding': 'chunked' }, 'T', 'POST')).toMatchObject({ 'transfer-encoding': 'chunked' });
    expect(upstreamRequestHeaders({ 'content-length': '0' }, 'T', 'DELETE')).toEqual({ authorization: 'Bearer T' });
  });
});
