/**
 * npm run bench:mssql-guard -w apps/mcp-mssql — the run_query guard's cost: per query shape, the time
 * `guard.check` takes (median and worst of BENCH_RUNS, default 20, after one warm-up), the worker
 * thread's cold start, and the memory of the image (laid out by scripts/bundle.ts --image, started as
 * apps/Dockerfile's CMD with its ENV and the pod's rendered NODE_OPTIONS): VmRSS idle, after the first check, after the heaviest shapes. Figures are printed,
 * never asserted; they go in docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { layoutImage, readImageRecipe } from '../../../scripts/bundle.ts';
import { renderedContainers } from '../../../scripts/image-env.ts';
import { freePort } from '../../../dev/processes.ts';
import { createQueryGuard } from '../src/guard/index.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);

const SHAPES: Record<string, string> = {
  'typical join': "SELECT TOP (@n) c.name, SUM(o.total) AS total FROM dbo.Customers c JOIN dbo.Orders o ON o.CustomerId = c.id WHERE o.OrderDate >= @since GROUP BY c.name ORDER BY total DESC",
  'nested CAST, 19 levels (6.9 s before)': `SELECT ${'CAST('.repeat(19)}1${' AS int)'.repeat(19)}`,
  'nested CAST, 32 levels (the bound)': `SELECT ${'CAST('.repeat(32)}1${' AS int)'.repeat(32)}`,
  'nested CASE, 32 levels': `SELECT ${'CASE WHEN a = 1 THEN '.repeat(32)}1${' END'.repeat(32)} FROM dbo.T`,
  'IN list of 2,000 literals': `SELECT id FROM dbo.Orders WHERE id IN (${Array.from({ length: 2000 }, (_, i) => 100_000 + i).join(', ')})`,
  '6,600 columns (19,800 chars)': `SELECT ${'a, '.repeat(6_600)}1 FROM dbo.T`,
  'AND chain of 1,900 (19,000 chars)': `SELECT 1 FROM dbo.T WHERE ${'a = 1 AND '.repeat(1_900)}b = 2`,
  'nested CAST, 200 levels (refused on tokens)': `SELECT ${'CAST('.repeat(200)}1${' AS int)'.repeat(200)}`,
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function guardTimes(): Promise<void> {
  const guard = createQueryGuard({ budgetMs: 60_000 });
  const started = performance.now();
  await guard.check('SELECT 1');
  console.log(`worker cold start and first check: ${(performance.now() - started).toFixed(0)} ms`);
  console.log(`\n| shape | chars | verdict | median ms | worst ms (of ${RUNS}) |\n|---|---|---|---|---|`);
  for (const [name, sql] of Object.entries(SHAPES)) {
    const verdict = await guard.check(sql);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = performance.now();
      await guard.check(sql);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${sql.length} | ${verdict.ok ? 'accepted' : 'refused'} | ${quantile(times, 0.5).toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`);
  }
  await guard.close();
}

async function imageMemory(): Promise<void> {
  // scripts/bundle.ts tells its own sources from rolldown's by paths relative to the working directory.
  process.chdir(resolve(import.meta.dirname, '../../..'));
  const image = readImageRecipe();
  const workdir = mkdtempSync(join(tmpdir(), 'mcp-mssql-bench-'));
  await layoutImage('mcp-mssql', workdir);
  image.env.NODE_OPTIONS = renderedContainers().get('mcp-mssql')!.env.NODE_OPTIONS!;
  const port = await freePort();
  const child = spawn(process.execPath, image.cmd.slice(1), {
    cwd: workdir,
    env: { PATH: process.env['PATH'], ...image.env, HOST: '127.0.0.1', PORT: String(port), MSSQL_SERVER: '' },
    stdio: 'ignore',
  });
  const rss = (): string => (Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024).toFixed(0);
  try {
    await sleep(4_000);
    const idle = rss();
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    await client.callTool({ name: 'run_query', arguments: { sql: SHAPES['typical join']! } });
    const first = rss();
    for (const sql of Object.values(SHAPES)) await client.callTool({ name: 'run_query', arguments: { sql } });
    const heavy = rss();
    for (let i = 0; i < 5; i += 1) for (const sql of Object.values(SHAPES)) await client.callTool({ name: 'run_query', arguments: { sql } });
    console.log(`\nbundled image (ENV ${JSON.stringify(image.env)}): VmRSS idle ${idle} MB, after the first check ${first} MB, ` +
      `after every shape once ${heavy} MB, after five more rounds ${rss()} MB`);
    await client.close();
  } finally {
    child.kill('SIGTERM');
    rmSync(workdir, { recursive: true, force: true });
  }
}

await guardTimes();
await imageMemory();
