// /healthz keeps answering while run_query checks the heaviest queries the guard accepts or refuses:
// the nested CAST that froze the old parser for seconds (19 levels: 6.9 s, 24 levels: 217 s on the event
// loop), deeper nesting, and the longest texts. Real HTTP on loopback: the official MCP client calls the
// tool while plain fetches poll /healthz. SQL Server is the mssql stand-in (test/support/mssql-stand-in.ts).
// The one-second bound is the acceptance criterion (a kubelet probe's view), not a speed target:
// with the parser off the event loop, answers take milliseconds.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '@mcp-gateway/telemetry';
import { createMssqlStandIn, StandInServer } from './support/mssql-stand-in.ts';

const silentLogger = createLogger({ service: 'mcp-mssql', level: 'silent' });

const HEALTH_BOUND_MS = 1_000;
const dir = mkdtempSync(join(tmpdir(), 'mcp-mssql-health-'));
writeFileSync(join(dir, 'username'), 'reader');
writeFileSync(join(dir, 'password'), 'p@ss');

const nestedCast = (levels: number) => `SELECT ${'CAST('.repeat(levels)}1${' AS int)'.repeat(levels)} AS n`;

/** The heaviest shapes: nesting at and past the bound, and texts at and past the length limit. */
const QUERIES = [
  nestedCast(19),
  nestedCast(24),
  nestedCast(32),
  nestedCast(200),
  `SELECT ${'COALESCE((CASE WHEN (a = 1) THEN '.repeat(10)}1${' END), 0)'.repeat(10)} FROM dbo.T`,
  `SELECT ${'a, '.repeat(6_600)}1 FROM dbo.T`,
  `SELECT 1 FROM dbo.T WHERE ${'a = 1 AND '.repeat(1_900)}b = 2`,
  `SELECT ${'a, '.repeat(7_000)}1 FROM dbo.T`,
];

let app: RunningMcpApp;
let client: Client;

beforeAll(async () => {
  const server = new StandInServer();
  server.on('SELECT', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: [[1]] }] });
  const config = loadConfig({ MSSQL_SERVER: 'sql.test', MSSQL_USER_FILE: join(dir, 'username'), MSSQL_PASSWORD_FILE: join(dir, 'password') });
  app = await startMcpApp(createApp(config, { driver: createMssqlStandIn(server), log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
  client = new Client({ name: 'mcp-mssql-health-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(app.url));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Polls /healthz from a worker thread: its event loop is its own, so a poll that waits on a blocked server
 * is timed as such (a poller on the server's own loop would be frozen with it and see nothing).
 */
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const polls = [];
let stop = false;
parentPort.on('message', () => { stop = true; });
(async () => {
  while (!stop) {
    const started = performance.now();
    const status = await fetch(workerData.url, { signal: AbortSignal.timeout(workerData.giveUpMs) }).then(
      async (response) => { await response.arrayBuffer(); return response.status; },
      () => 0,
    );
    polls.push({ status, ms: performance.now() - started });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  parentPort.postMessage(polls);
})();
`;

function startHealthPoller(url: URL): { stop: () => Promise<Array<{ status: number; ms: number }>> } {
  const worker = new Worker(POLLER, { eval: true, workerData: { url: String(url), giveUpMs: HEALTH_BOUND_MS * 30 } });
  return {
    stop: async () => {
      const polls = new Promise<Array<{ status: number; ms: number }>>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const result = await polls;
      await worker.terminate();
      return result;
    },
  };
}

it('answers /healthz within one second while run_query checks each of the heaviest queries', { timeout: 120_000 }, async () => {
  const verdicts: string[] = [];
  const poller = startHealthPoller(new URL('/healthz', app.url));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the poller is under way before the first query
  for (const sql of QUERIES) {
    const result = await client.callTool({ name: 'run_query', arguments: { sql } });
    verdicts.push(result.isError ? 'refused' : 'ran');
  }
  const polls = await poller.stop();
  expect(verdicts).toEqual(['ran', 'ran', 'ran', 'refused', 'ran', 'ran', 'ran', 'refused']);
  expect(polls.length).toBeGreaterThan(0);
  expect(polls.filter((poll) => poll.status !== 200)).toEqual([]);
  expect(Math.max(...polls.map((poll) => poll.ms))).toBeLessThan(HEALTH_BOUND_MS);
});
