/**
 * npm run bench:mcp, in two parts. Figures are printed, never asserted (docs/benchmarks.md keeps them).
 *
 * 1. Throughput: tools/call (echo), mcp-example on this runtime versus the SDK-documented reference server, for a
 *    2025-era and a 2026-07-28 request; autocannon with 20 connections for BENCH_DURATION seconds (10).
 * 2. Memory: every MCP server of servers.json whose image is built here, under tools/list load and then a burst of
 *    30 concurrent 1 MB calls (mcp-example: text_stats on 1 MB of text, the attack of the adversarial review;
 *    the others: tools/list carrying 1 MB), against its memory limit; 503s from the in-flight bound are counted.
 *
 * Every server is measured as its image runs it: laid out by scripts/bundle.ts --image (what apps/Dockerfile's
 * build stage does) into a temporary folder with no node_modules, then the recipe's CMD with its ENV and the
 * environment the generator renders for the workload (NODE_OPTIONS from the memory limit, the in-flight bounds).
 * BENCH_SOURCES=1 adds `node apps/mcp-example/src/index.ts` (type stripping, node_modules) to part 1;
 * BENCH_PART=1 or 2 runs one part; BENCH_UNBOUNDED=1 runs part 2 without the heap cap and the in-flight bounds
 * (what the images did before), for comparison.
 * Idle RSS is the child's VmRSS after its first answer; peak RSS its VmHWM. Each run is a fresh child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import { IMAGE_ENTRY, layoutImage, readImageRecipe } from '../../../scripts/bundle.ts';
import { renderedContainers } from '../../../scripts/image-env.ts';
import { freePort } from '../../../dev/processes.ts';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

/** The runtime stage of apps/Dockerfile (its ENV) and what the manifests give each container. */
const RECIPE = readImageRecipe();
const RENDERED = renderedContainers();
/** The environment of `app`'s container: the image's ENV, then the rendered variables that shape the process. */
function imageEnv(app: string): Record<string, string> {
  const rendered = RENDERED.get(app)?.env ?? {};
  const kept = Object.entries(rendered).filter(([name]) => name === 'NODE_OPTIONS' || name.startsWith('MCP_MAX_'));
  return { ...RECIPE.env, ...Object.fromEntries(kept) };
}
const UNBOUNDED = process.env.BENCH_UNBOUNDED === '1';
const PARTS = process.env.BENCH_PART === '1' ? [1] : process.env.BENCH_PART === '2' ? [2] : [1, 2];
/** Part 2's environment: the image's, or with the caps lifted (BENCH_UNBOUNDED=1). */
function memoryEnv(app: string): Record<string, string> {
  const env = imageEnv(app);
  if (!UNBOUNDED) return env;
  const { NODE_OPTIONS: _cap, ...rest } = env;
  return { ...rest, MCP_MAX_INFLIGHT_REQUESTS: '1000000', MCP_MAX_INFLIGHT_BYTES: '17179869184' };
}
const PRODUCTION_NODE_OPTIONS = imageEnv('mcp-example').NODE_OPTIONS ?? '';
/** The reference runs with Node's defaults, as the SDK documents it; BENCH_SAME_FLAGS=1 gives it the same flags. */
const REFERENCE_NODE_OPTIONS = process.env.BENCH_SAME_FLAGS === '1' ? PRODUCTION_NODE_OPTIONS : '';

/** Each MCP server as its image runs it: the laid-out files in a folder of their own (the image's /app). */
const MCP_APPS = ['mcp-example', 'mcp-hubspot', 'mcp-mssql'].filter((app) => RENDERED.has(app));
const imageDirs = new Map<string, string>();
for (const app of MCP_APPS) {
  const dir = mkdtempSync(join(os.tmpdir(), `bench-${app}-`));
  await layoutImage(app, dir);
  imageDirs.set(app, dir);
}

type ServerName = 'reference' | 'mcp-example' | 'mcp-example (sources)';
/** What each server of part 1 runs: the script and the folder it runs in. */
const SERVERS: Partial<Record<ServerName, { script: string; cwd: string }>> = {
  reference: { script: 'packages/mcp-runtime/bench/reference-server.ts', cwd: ROOT },
  'mcp-example': { script: IMAGE_ENTRY, cwd: imageDirs.get('mcp-example')! },
  ...(process.env.BENCH_SOURCES === '1' ? { 'mcp-example (sources)': { script: 'apps/mcp-example/src/index.ts', cwd: ROOT } } : {}),
};

/** Requests as the official SDK client sends them (captured from @modelcontextprotocol/client 2.4). */
const ERAS = {
  '2025-11-25': {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } },
  },
  '2026-07-28': {
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    },
    body: {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'echo',
        arguments: { text: 'hello' },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
  },
} as const;
type Era = keyof typeof ERAS;

interface Figures {
  server: ServerName;
  era: Era;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  idleRssMb: number;
  peakRssMb: number;
}


/** VmRSS (now) or VmHWM (peak) of a process, in MB. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match === null ? Number.NaN : Math.round(Number(match[1]) / 102.4) / 10;
}

/** Sends one request and checks the echo came back (SSE or JSON), so a broken server is not benchmarked. */
async function checkAnswers(url: string, era: Era): Promise<void> {
  const { headers, body } = ERAS[era];
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status === 200 && text.includes('"text":"hello"')) return;
      throw new Error(`unexpected answer ${res.status}: ${text.slice(0, 300)}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

async function measure(server: ServerName, era: Era): Promise<Figures> {
  const port = await freePort();
  const { script, cwd } = SERVERS[server]!;
  const child = spawn(process.execPath, [script], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...(server === 'reference' ? {} : imageEnv('mcp-example')),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      NODE_OPTIONS: server === 'reference' ? REFERENCE_NODE_OPTIONS : PRODUCTION_NODE_OPTIONS,
    },
  });
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    await checkAnswers(url, era);
    const idleRssMb = rssMb(child.pid!, 'VmRSS');
    const { headers, body } = ERAS[era];
    const request = { url, method: 'POST', headers, body: JSON.stringify(body), connections: CONNECTIONS };
    await autocannon({ ...request, duration: 2 }); // warm-up (JIT), not reported
    const result = await autocannon({ ...request, duration: DURATION });
    return {
      server,
      era,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      idleRssMb,
      peakRssMb: rssMb(child.pid!, 'VmHWM'),
    };
  } finally {
    await stop(child);
  }
}

/** Part 2: one MCP server's image under load and a burst of large calls, against its memory limit. */
interface MemoryFigures {
  app: string;
  limit: string;
  idleRssMb: number;
  peakRssMb: number;
  listRps: number;
  burstOk: number;
  burst503: number;
  burstOther: number;
}

/** A 1 MB call: text_stats on 1 MB of text for mcp-example, tools/list carrying 1 MB in `_meta` for the others. */
function largeCall(app: string, id: number): string {
  const megabyte = 'lorem ipsum '.repeat(87_382);
  if (app === 'mcp-example') return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'text_stats', arguments: { text: megabyte.slice(0, 1_000_000) } } });
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: { pad: megabyte.slice(0, 1_000_000) } } });
}

async function measureMemory(app: string): Promise<MemoryFigures> {
  const port = await freePort();
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
  const child = spawn(process.execPath, [IMAGE_ENTRY], {
    cwd: imageDirs.get(app)!,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      ...memoryEnv(app),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Enough to start; no tool here reaches HubSpot or SQL Server.
      ...(app === 'mcp-hubspot' && { HUBSPOT_ACCESS_TOKEN: 'pat-na1-bench', HUBSPOT_BASE_URL: 'http://127.0.0.1:9' }),
      ...(app === 'mcp-mssql' && { MSSQL_SERVER: '' }),
    },
  });
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const answer = await fetch(url, { method: 'POST', headers, body: list }).catch(() => undefined);
      if (answer?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${app} did not answer tools/list`);
      await sleep(100);
    }
    const idleRssMb = rssMb(child.pid!, 'VmRSS');
    const load = await autocannon({ url, method: 'POST', headers, body: list, connections: CONNECTIONS, duration: Math.max(2, Math.round(DURATION / 2)) });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, index) => fetch(url, { method: 'POST', headers, body: largeCall(app, index) }).then(async (response) => (await response.arrayBuffer(), response.status), () => 0)),
    );
    return {
      app,
      limit: RENDERED.get(app)!.memoryLimit,
      idleRssMb,
      peakRssMb: rssMb(child.pid!, 'VmHWM'),
      listRps: Math.round(load.requests.average),
      burstOk: statuses.filter((status) => status === 200).length,
      burst503: statuses.filter((status) => status === 503).length,
      burstOther: statuses.filter((status) => status !== 200 && status !== 503).length,
    };
  } finally {
    await stop(child);
  }
}

const rows: Figures[] = [];
process.stdout.write(
  `Every server measured as its image runs it: scripts/bundle.ts --image into a folder without node_modules, CMD ${JSON.stringify(RECIPE.cmd)}\n` +
  `ENV of apps/Dockerfile: ${Object.entries(RECIPE.env).map(([k, v]) => `${k}=${v}`).join(' ')}; plus the rendered NODE_OPTIONS and MCP_MAX_INFLIGHT_* of each workload\n` +
  `NODE_OPTIONS: mcp-example "${PRODUCTION_NODE_OPTIONS}", reference "${REFERENCE_NODE_OPTIONS}"; logs at ${process.env.BENCH_LOG_LEVEL ?? 'info'} to /dev/null\n` +
  `Part 1: tools/call echo, ${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`,
);
for (const era of PARTS.includes(1) ? (Object.keys(ERAS) as Era[]) : []) {
  for (const server of Object.keys(SERVERS) as ServerName[]) {
    const figures = await measure(server, era);
    rows.push(figures);
    process.stdout.write(
      `${era}  ${server.padEnd(21)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  idle RSS ${figures.idleRssMb} MB  peak RSS ${figures.peakRssMb} MB  non-2xx ${figures.non2xx}  errors ${figures.errors}\n`,
    );
  }
}
for (const era of PARTS.includes(1) ? (Object.keys(ERAS) as Era[]) : []) {
  const reference = rows.find((row) => row.era === era && row.server === 'reference')!;
  const example = rows.find((row) => row.era === era && row.server === 'mcp-example')!;
  const ratio = (example.rps / reference.rps).toFixed(2);
  process.stdout.write(`${era}  mcp-example / reference: ${ratio}x throughput, p99 ${example.p99} vs ${reference.p99} ms\n`);
}
if (PARTS.includes(2)) process.stdout.write(`Part 2${UNBOUNDED ? ' (UNBOUNDED: no heap cap, no in-flight bounds)' : ''}: tools/list with ${CONNECTIONS} connections for ${Math.max(2, Math.round(DURATION / 2))} s, then 30 concurrent 1 MB calls\n`);
for (const app of PARTS.includes(2) ? MCP_APPS : []) {
  const m = await measureMemory(app);
  const env = memoryEnv(app);
  process.stdout.write(
    `${m.app.padEnd(12)} limit ${m.limit}  ${env.NODE_OPTIONS ?? 'no NODE_OPTIONS'}  in flight ${env.MCP_MAX_INFLIGHT_REQUESTS} requests / ${env.MCP_MAX_INFLIGHT_BYTES} bytes  ` +
      `tools/list ${m.listRps} req/s  idle RSS ${m.idleRssMb} MB  peak RSS ${m.peakRssMb} MB  burst: ${m.burstOk} ok, ${m.burst503} 503, ${m.burstOther} other\n`,
  );
}
for (const dir of imageDirs.values()) rmSync(dir, { recursive: true, force: true });
process.stdout.write(`load average after: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
