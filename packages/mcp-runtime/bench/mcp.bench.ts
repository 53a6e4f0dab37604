/**
 * npm run bench:mcp — tools/call (echo) throughput and latency, mcp-example on this runtime versus the
 * SDK-documented reference server, for a 2025-era and a 2026-07-28 request. Each (server, era) pair runs
 * in a fresh child process; autocannon drives it with 20 connections for BENCH_DURATION seconds (10).
 * Peak RSS is the child's VmHWM. Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

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

/** The V8 flags of apps/mcp-example/Dockerfile (NODE_OPTIONS): the app is measured as it runs in production. */
const PRODUCTION_NODE_OPTIONS = '--max-semi-space-size=16 --max-old-space-size=96';
/** The reference runs with Node's defaults, as the SDK documents it; BENCH_SAME_FLAGS=1 gives it the same flags. */
const REFERENCE_NODE_OPTIONS = process.env.BENCH_SAME_FLAGS === '1' ? PRODUCTION_NODE_OPTIONS : '';

const SERVERS = {
  reference: 'packages/mcp-runtime/bench/reference-server.ts',
  'mcp-example': 'apps/mcp-example/src/index.ts',
} as const;
type ServerName = keyof typeof SERVERS;

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
  peakRssMb: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
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
  const child = spawn(process.execPath, [SERVERS[server]], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      NODE_OPTIONS: server === 'mcp-example' ? PRODUCTION_NODE_OPTIONS : REFERENCE_NODE_OPTIONS,
    },
  });
  try {
    const url = `http://127.0.0.1:${port}/mcp`;
    await checkAnswers(url, era);
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
      peakRssMb: peakRssMb(child.pid!),
    };
  } finally {
    await stop(child);
  }
}

const rows: Figures[] = [];
process.stdout.write(
  `NODE_OPTIONS: mcp-example "${PRODUCTION_NODE_OPTIONS}", reference "${REFERENCE_NODE_OPTIONS}"; logs at ${process.env.BENCH_LOG_LEVEL ?? 'info'} to /dev/null\n` +
  `tools/call echo, ${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`,
);
for (const era of Object.keys(ERAS) as Era[]) {
  for (const server of Object.keys(SERVERS) as ServerName[]) {
    const figures = await measure(server, era);
    rows.push(figures);
    process.stdout.write(
      `${era}  ${server.padEnd(12)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  peak RSS ${figures.peakRssMb} MB  non-2xx ${figures.non2xx}  errors ${figures.errors}\n`,
    );
  }
}
for (const era of Object.keys(ERAS) as Era[]) {
  const reference = rows.find((row) => row.era === era && row.server === 'reference')!;
  const example = rows.find((row) => row.era === era && row.server === 'mcp-example')!;
  const ratio = (example.rps / reference.rps).toFixed(2);
  process.stdout.write(`${era}  mcp-example / reference: ${ratio}x throughput, p99 ${example.p99} vs ${reference.p99} ms\n`);
}
process.stdout.write(`load average after: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);
