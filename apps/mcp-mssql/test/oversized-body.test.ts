/**
 * An 8 MiB chunked body, far over the 1 MiB body limit, sent 20 times to the SQL Server MCP server on loopback (its
 * database a stand-in), as a proxy piping a client's upload does: every time the sender reads the 413 and its
 * JSON-RPC error, never a reset, and the same connection then serves a ping (the runtime reads and drops the rest
 * of a refused body, packages/mcp-runtime/src/body.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectOversizedBodiesRefused } from '../../../packages/mcp-runtime/test/large-body.ts';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createLogger } from '@mcp-gateway/telemetry';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createMssqlStandIn, StandInServer } from './support/mssql-stand-in.ts';

const silentLogger = createLogger({ service: 'mcp-mssql', level: 'silent' });
let app: RunningMcpApp;
beforeAll(async () => {
  app = await startMcpApp(createApp(loadConfig({}), { driver: createMssqlStandIn(new StandInServer()), log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
});
afterAll(() => app?.close());

describe('an oversized request body', () => {
  it('gets 20 answers of 413 for 20 sends of 8 MiB chunked, no reset, the connection still usable', async () => {
    await expectOversizedBodiesRefused(app.url);
  }, 180_000);
});
