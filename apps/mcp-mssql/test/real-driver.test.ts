// The real mssql driver (tedious) on loopback where nothing listens: the production driver loads,
// connection failures come back as clear tool errors and /readyz says not ready. No SQL Server needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp } from '@mcp-gateway/mcp-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '@mcp-gateway/telemetry';

const silentLogger = createLogger({ service: 'mcp-mssql', level: 'silent' });

const dir = mkdtempSync(join(tmpdir(), 'mcp-mssql-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loopback port with nothing behind it: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('real mssql driver, no server listening', () => {
  it('reports the unreachable server as a tool error and /readyz as 503', async () => {
    writeFileSync(join(dir, 'username'), 'reader');
    writeFileSync(join(dir, 'password'), 'never-logged');
    const port = await closedPort();
    const config = loadConfig({
      MSSQL_SERVER: '127.0.0.1',
      MSSQL_PORT: String(port),
      MSSQL_USER_FILE: join(dir, 'username'),
      MSSQL_PASSWORD_FILE: join(dir, 'password'),
    });
    const app = await startMcpApp(createApp(config, { log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
    const client = new Client({ name: 'mcp-mssql-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(app.url));
      const result = await client.callTool({ name: 'run_query', arguments: { sql: 'SELECT 1 AS one' } });
      expect(result.isError).toBe(true);
      const message = (result.content as Array<{ text: string }>)[0]!.text;
      expect(message).toMatch(new RegExp(`^error \\(connection\\): cannot reach SQL Server: Failed to connect to 127\\.0\\.0\\.1:${port}`));
      expect(message).not.toContain('never-logged');
      expect((await fetch(new URL('/readyz', app.url))).status).toBe(503);
    } finally {
      await client.close();
      await app.close();
    }
  });
});
