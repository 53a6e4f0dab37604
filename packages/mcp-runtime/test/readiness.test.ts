/**
 * Readiness with its reason, over real HTTP on loopback: /readyz for the kubelet, and the initialize result's
 * `_meta` for MCP clients (the UI's catalog reads it through the gateway), in both protocol eras' clients.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { READINESS_META_KEY, startMcpApp, type McpAppDefinition, type ReadinessReport, type RunningMcpApp } from '../src/index.ts';

const running: RunningMcpApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(ready: McpAppDefinition['ready']): Promise<RunningMcpApp> {
  const def: McpAppDefinition = {
    name: 'readiness-test',
    version: '1.2.3',
    instructions: 'Hello.',
    register(server) {
      server.registerTool('noop', { description: 'does nothing' }, () => ({ content: [] }));
    },
    ...(ready ? { ready } : {}),
  };
  const app = await startMcpApp(def, { port: 0, host: '127.0.0.1', logLevel: 'error' }, { logSink: () => undefined });
  running.push(app);
  return app;
}

async function initialize(app: RunningMcpApp): Promise<{ _meta?: Record<string, unknown>; serverInfo: { version: string }; instructions?: string }> {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  const text = await response.text();
  const json = text.startsWith('{') ? text : text.split('\n').find((line) => line.startsWith('data:'))!.slice(5);
  return (JSON.parse(json) as { result: never }).result;
}

describe('readiness', () => {
  it('says why a server is not ready on /readyz and in the initialize result, and follows a recovery', async () => {
    let state: boolean | ReadinessReport = { ready: false, reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' };
    const app = await start(async () => state);
    const readyz = await fetch(new URL('/readyz', app.url));
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: 'not ready', reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' });
    const result = await initialize(app);
    expect(result._meta?.[READINESS_META_KEY]).toEqual({ ready: false, reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' });
    // The SDK's own answer is kept.
    expect(result.serverInfo.version).toBe('1.2.3');
    expect(result.instructions).toBe('Hello.');

    state = true;
    expect((await fetch(new URL('/readyz', app.url))).status).toBe(200);
    expect((await initialize(app))._meta?.[READINESS_META_KEY]).toEqual({ ready: true });
  });

  it('reports a check that hangs as not ready without holding initialize past its bound', async () => {
    const app = await start(() => new Promise<boolean>(() => undefined));
    const result = await initialize(app);
    expect(result._meta?.[READINESS_META_KEY]).toMatchObject({ ready: false, reason: expect.stringMatching(/has not answered yet|did not answer/) });
  });

  it('reports ready for an app without a check, and the official client still connects in both eras', async () => {
    const app = await start(undefined);
    expect((await initialize(app))._meta?.[READINESS_META_KEY]).toEqual({ ready: true });
    for (const mode of ['auto', 'legacy'] as const) {
      const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode } });
      await client.connect(new StreamableHTTPClientTransport(app.url));
      expect(client.getServerVersion()?.version).toBe('1.2.3');
      await client.close();
    }
  });
});
