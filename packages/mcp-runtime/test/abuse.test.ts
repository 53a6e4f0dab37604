/**
 * Attacks on the MCP path over real HTTP on loopback, each the way an outsider would send it (issue 19 of the
 * adversarial review): bursts past the work in flight, JSON-RPC batches under revisions that have none, bodies
 * nested 100,000 levels deep, bodies far over the size limit. Every answer is a JSON-RPC error with a status
 * that names the problem, never a 500 and never internal error text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { sendLarge } from './large-body.ts';
import { startMcpApp, type EndpointKind, type McpAppDefinition, type RunningMcpApp, type RuntimeConfig } from '../src/index.ts';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** `hold` waits until the test releases it and counts how many run at once. */
function holdingApp() {
  const releases: Array<() => void> = [];
  let running = 0;
  let peak = 0;
  let started = 0;
  const def: McpAppDefinition = {
    name: 'abuse-test',
    version: '1.0.0',
    register(server) {
      server.registerTool('hold', { inputSchema: z.object({ pad: z.string().optional() }) }, async () => {
        started += 1;
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return { content: [{ type: 'text', text: 'released' }] };
      });
    },
  };
  return {
    def,
    release: () => releases.splice(0).forEach((resolve) => resolve()),
    stats: () => ({ running, peak, started }),
  };
}

const apps: RunningMcpApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(def: McpAppDefinition, config: Partial<RuntimeConfig> = {}): Promise<RunningMcpApp> {
  const app = await startMcpApp(def, { port: 0, host: '127.0.0.1', logLevel: 'error', ...config }, { logSink: () => {} });
  apps.push(app);
  return app;
}

const hold = (id: number, pad?: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hold', arguments: pad === undefined ? {} : { pad } } });

function post(app: RunningMcpApp, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(app.url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each<EndpointKind>(['fast', 'sdk'])('work in flight is bounded (%s endpoint)', (endpoint) => {
  it('answers 503 with Retry-After past the request bound and never runs more handlers than it allows', async () => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint, maxInflightRequests: 4 });
    const answers = Array.from({ length: 12 }, (_, index) => post(app, hold(index)));
    await until(() => test.stats().running === 4);
    const settled = await Promise.all(answers.map((answer) => Promise.race([answer, new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), 300))])));
    const refused = settled.filter((answer): answer is Response => answer !== 'held');
    expect(refused).toHaveLength(8);
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/too many requests in flight/) } });
    }
    test.release();
    const served = await Promise.all(answers.filter((_, index) => settled[index] === 'held'));
    expect(served.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(test.stats()).toMatchObject({ peak: 4, started: 4 });
    // Capacity comes back once the calls finished.
    const again = post(app, hold(99));
    await until(() => test.stats().running === 1);
    test.release();
    expect((await again).status).toBe(200);
  });

  it('answers 503 past the byte bound, for declared and for chunked bodies', async () => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint, maxBodyBytes: 40_000, maxInflightBytes: 64_000 });
    const pad = 'p'.repeat(30_000);
    const first = post(app, hold(1, pad));
    const second = post(app, hold(2, pad));
    await until(() => test.stats().running === 2);
    const third = await post(app, hold(3, pad));
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/too many request bytes in flight/);
    // Chunked: no Content-Length, so the budget is taken as the bytes arrive.
    const chunked = await sendLarge(app.url, 30_000, false);
    expect(chunked.writeError).toBeUndefined();
    expect(chunked.answers).toMatch(/^HTTP\/1\.1 503 [^]*\r\nretry-after: 1\r\n[^]*too many request bytes in flight/);
    test.release();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(test.stats().started).toBe(2);
  });

  it('counts every member of a 2025-03-26 batch against the request bound', async () => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint, maxInflightRequests: 4 });
    const batch = Array.from({ length: 10 }, (_, index) => hold(index));
    const response = await post(app, batch, { 'mcp-protocol-version': '2025-03-26' });
    expect(response.status).toBe(503);
    expect(test.stats().started).toBe(0);
  });
});

describe.each<EndpointKind>(['fast', 'sdk'])('JSON-RPC batches (%s endpoint)', (endpoint) => {
  it.each(['2025-06-18', '2025-11-25', '2026-07-28'])('are refused under %s before any handler runs', async (version) => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint });
    const batch = Array.from({ length: 100 }, (_, index) => hold(index));
    const response = await post(app, batch, { 'mcp-protocol-version': version });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: `Invalid Request: protocol revision ${version} has no JSON-RPC batches; send one message per request` },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(test.stats().started).toBe(0);
  });

  it('are still served under 2025-03-26, the revision that has them (also assumed without a version header)', async () => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint });
    for (const headers of [{ 'mcp-protocol-version': '2025-03-26' }, {}] as Array<Record<string, string>>) {
      const response = await post(app, [{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', id: 2, method: 'ping' }], headers);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('"id":1');
      expect(text).toContain('"id":2');
    }
  });
});

describe.each<EndpointKind>(['fast', 'sdk'])('bodies nested 100,000 levels deep (%s endpoint)', (endpoint) => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  it.each([
    ['the id', `{"jsonrpc":"2.0","id":${deep},"method":"tools/list"}`],
    ['the arguments', `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"hold","arguments":{"pad":${deep}}}}`],
    ['a batch member', `[{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":${deep}}}]`],
  ])('get 400 / -32600 for %s, not 500', async (_where, body) => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint });
    const response = await post(app, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: the body nests deeper than 128 levels' } });
    expect(test.stats().started).toBe(0);
  });

  it('leave ordinary nesting alone', async () => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint });
    const nested = `${'['.repeat(100)}${']'.repeat(100)}`;
    const response = await post(app, `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"x":${nested}}}}`);
    expect(response.status).toBe(200);
  });
});

describe.each<EndpointKind>(['fast', 'sdk'])('a body far over MCP_MAX_BODY_BYTES (%s endpoint)', (endpoint) => {
  it.each([
    ['declared in Content-Length', true],
    ['chunked', false],
  ])('%s: the sender gets the 413 and its JSON-RPC error, never a broken pipe, and the connection stays usable', async (_how, declare) => {
    const test = holdingApp();
    const app = await start(test.def, { endpoint });
    const { answers, writeError } = await sendLarge(app.url, 8 * 1024 * 1024, declare);
    expect(writeError).toBeUndefined();
    const [refusal, next] = answers.split(/(?=HTTP\/1\.1 )/);
    expect(refusal).toMatch(/^HTTP\/1\.1 413 /);
    expect(refusal!.slice(refusal!.indexOf('\r\n\r\n') + 4)).toBe('{"jsonrpc":"2.0","error":{"code":-32000,"message":"Payload Too Large: request body must not exceed 1048576 bytes"},"id":null}');
    expect(answers).not.toMatch(/EPIPE|ECONNRESET|Error:/);
    expect(next).toMatch(/^HTTP\/1\.1 200 /);
  });
});
