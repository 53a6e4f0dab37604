/**
 * npm run bench:mcp — tools/call (echo) throughput and latency, mcp-example on this runtime versus the
 * SDK-documented reference server, for a 2025-era and a 2026-07-28 request. Each (server, era) pair runs
 * in a fresh child process; autocannon drives it with 20 connections for BENCH_DURATION seconds (10).
 * mcp-example is measured as its image runs it: bundled first (scripts/bundle.ts, into a temporary folder with
 * no node_modules), then `node <bundle>` with the NODE_OPTIONS of apps/mcp-example/Dockerfile.
 * BENCH_SOURCES=1 adds `node apps/mcp-example/src/index.ts` (type stripping, node_modules) with the same flags.
 * Idle RSS is the child's VmRSS after its first answer; peak RSS its VmHWM. Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import { bundleApp, readImageRuntime } from '../../../scripts/bundle.ts';
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

/** The runtime stage of apps/mcp-example/Dockerfile: its ENV (NODE_OPTIONS, NODE_ENV) is the bundle's environment. */
const IMAGE = readImageRuntime('mcp-example');
/** The V8 flags the image runs with, read from the Dockerfile so the bench never keeps a second copy. */
const PRODUCTION_NODE_OPTIONS = IMAGE.env.NODE_OPTIONS ?? '';
/** The reference runs with Node's defaults, as the SDK documents it; BENCH_SAME_FLAGS=1 gives it the same flags. */
const REFERENCE_NODE_OPTIONS = process.env.BENCH_SAME_FLAGS === '1' ? PRODUCTION_NODE_OPTIONS : '';

/** mcp-example as its image runs it: one bundle in a folder of its own (the image's /app holds nothing else). */
const bundleDir = mkdtempSync(join(os.tmpdir(), 'bench-mcp-example-'));
const bundle = await bundleApp('mcp-example', join(bundleDir, 'server.mjs'));

type ServerName = 'reference' | 'mcp-example' | 'mcp-example (sources)';
/** What each server runs: the script and the folder it runs in. */
const SERVERS: Partial<Record<ServerName, { script: string; cwd: string }>> = {
  reference: { script: 'packages/mcp-runtime/bench/reference-server.ts', cwd: ROOT },
  'mcp-example': { script: bundle.file, cwd: bundleDir },
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
      ...(server === 'reference' ? {} : IMAGE.env),
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

const rows: Figures[] = [];
process.stdout.write(
  `mcp-example measured as its image runs it: ${bundle.file} (${Math.round(bundle.bytes / 1024)} KB, bundled by scripts/bundle.ts), cwd without node_modules\n` +
  `ENV of apps/mcp-example/Dockerfile: ${Object.entries(IMAGE.env).map(([k, v]) => `${k}=${v}`).join(' ')}\n` +
  `NODE_OPTIONS: mcp-example "${PRODUCTION_NODE_OPTIONS}", reference "${REFERENCE_NODE_OPTIONS}"; logs at ${process.env.BENCH_LOG_LEVEL ?? 'info'} to /dev/null\n` +
  `tools/call echo, ${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`,
);
for (const era of Object.keys(ERAS) as Era[]) {
  for (const server of Object.keys(SERVERS) as ServerName[]) {
    const figures = await measure(server, era);
    rows.push(figures);
    process.stdout.write(
      `${era}  ${server.padEnd(21)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  idle RSS ${figures.idleRssMb} MB  peak RSS ${figures.peakRssMb} MB  non-2xx ${figures.non2xx}  errors ${figures.errors}\n`,
    );
  }
}
for (const era of Object.keys(ERAS) as Era[]) {
  const reference = rows.find((row) => row.era === era && row.server === 'reference')!;
  const example = rows.find((row) => row.era === era && row.server === 'mcp-example')!;
  const ratio = (example.rps / reference.rps).toFixed(2);
  process.stdout.write(`${era}  mcp-example / reference: ${ratio}x throughput, p99 ${example.p99} vs ${reference.p99} ms\n`);
}
rmSync(bundleDir, { recursive: true, force: true });
process.stdout.write(`load average after: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
