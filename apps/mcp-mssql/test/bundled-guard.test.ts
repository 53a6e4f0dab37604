// The guard's worker thread in the image's single-file bundle: there the worker runs the bundle itself
// (src/guard/parse-worker.ts, src/index.ts), so this lays out the image as apps/Dockerfile does, starts its CMD
// with its ENV and the NODE_OPTIONS the manifests give the pod, and calls run_query over MCP: an accepted query reaches the database layer
// (no server is configured, so that is the answer), a refused one comes back with its reason, and only
// one thread serves HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { layoutImage, readImageRecipe } from '../../../scripts/bundle.ts';
import { renderedContainers } from '../../../scripts/image-env.ts';

let workdir: string;
let child: ChildProcess;
let output = '';
let baseUrl: string;

beforeAll(async () => {
  const image = readImageRecipe();
  workdir = await mkdtemp(join(tmpdir(), 'mcp-mssql-bundle-'));
  await layoutImage('mcp-mssql', workdir);
  const nodeOptions = renderedContainers().get('mcp-mssql')!.env.NODE_OPTIONS!;
  child = spawn(process.execPath, image.cmd.slice(1), {
    cwd: workdir,
    env: { PATH: process.env.PATH, ...image.env, NODE_OPTIONS: nodeOptions, HOST: '127.0.0.1', PORT: '0', MSSQL_SERVER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const port = /"port":(\d+),.*"msg":"listening"/.exec(output)?.[1];
    if (port !== undefined) {
      baseUrl = `http://127.0.0.1:${port}`;
      break;
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the bundle did not start:\n${output}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}, 120_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  if (workdir !== undefined) await rm(workdir, { recursive: true, force: true });
});

it('checks run_query in the bundled worker thread: accepted queries pass on, refused ones carry their reason', { timeout: 60_000 }, async () => {
  const client = new Client({ name: 'bundled-guard-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl)));
  const answer = async (sql: string) => JSON.stringify((await client.callTool({ name: 'run_query', arguments: { sql } })).content);
  try {
    expect(await answer('SELECT TRY_CAST(a AS int) FROM dbo.T TABLESAMPLE (5 PERCENT)')).toContain('error (not-configured)');
    expect(await answer('SELECT * FROM fn_dblog(NULL, NULL)')).toContain('error (refused): query refused: FN_DBLOG reads server files');
    expect(await answer('SELECT * FROM dbo.T WHERE')).toContain('the T-SQL grammar cannot read the query at the end');
  } finally {
    await client.close();
  }
  expect(output.match(/"msg":"listening"/g)).toHaveLength(1);
});
