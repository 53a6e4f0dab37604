/**
 * `npm run dev` as a process, the way people run and stop it: a port in use is one line and leaves nothing
 * running; Ctrl-C's SIGTERM to the npm process stops every child (the Redis server included); a child that is
 * killed is announced and started again; when the dev process itself is killed outright, the reaper stops its
 * children; `--log` filters the output; the Entra stand-in's port and the dev client's secret are the same on
 * the next run unless --new-secrets. Every process these tests start carries a HOME of their own, and runs in a
 * process group of its own, which is how the tests find what is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrinter, isStreamProbeRefusal } from '../log-filter.ts';
import { exitCodeOf, freePort, restartDelayMs } from '../processes.ts';
import { repoRoot } from './support.ts';

const node = process.execPath;
const homes: string[] = [];
afterAll(() => {
  for (const home of homes) {
    killMarked(home, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});

/** A HOME of its own for one run: every process it starts inherits it, which marks them. */
function freshHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mcp-dev-process-test-'));
  homes.push(home);
  return home;
}

/** Live processes started under `home` (found by their environment) or in process group `group`. */
function leftovers(home: string, group?: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie is already dead
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`HOME=${home}`) || (group !== undefined && pgid === group)) {
        found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function killMarked(home: string, signal: NodeJS.Signals) {
  for (const { pid } of leftovers(home)) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function noLeftovers(home: string, group: number | undefined, withinMs = 30_000) {
  const deadline = Date.now() + withinMs;
  let left = leftovers(home, group);
  while (left.length && Date.now() < deadline) {
    await sleep(250);
    left = leftovers(home, group);
  }
  return left;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp, ms?: number) => Promise<void>;
}

/** Starts `command args` in a process group of its own with HOME=`home`. */
function run(home: string, command: string, args: string[]): Run {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, HOME: home, MCP_DEV_STATE_DIR: path.join(home, 'state') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, ms = 90_000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; output:\n${output.slice(-3000)}`);
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${pattern}; output:\n${output.slice(-3000)}`);
        await sleep(200);
      }
    },
  };
}

/** Two consecutive free ports (the gateway's and the Entra stand-in's, which defaults to the next one). */
async function portPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65000 && (await isFree(port + 1))) return port;
  }
}
async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm run dev as a process', () => {
  it('refuses a port in use with one line and leaves nothing running', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const home = freshHome();
    const dev = run(home, node, ['dev/cli.ts', '--port', String(port)]);
    const code = await dev.exited;
    busy.close();
    expect(code).toBe(1);
    expect(dev.output().trim().split('\n')).toEqual([`npm run dev: port ${port} (the gateway) is in use; stop what holds it or choose another with --port`]);
    expect(await noLeftovers(home, dev.child.pid, 15_000)).toEqual([]);
  });

  it('prints its options with --help', async () => {
    const dev = run(freshHome(), node, ['dev/cli.ts', '--help']);
    expect(await dev.exited).toBe(0);
    for (const option of ['--environment', '--port', '--entra-port', '--bridged-issuer', '--log', '--verbose', '--new-secrets']) expect(dev.output()).toContain(option);
  });

  it('restarts a killed child, filters its log, and stops everything on SIGTERM to the npm process', { timeout: 240_000 }, async () => {
    const home = freshHome();
    const port = await portPair();
    const dev = run(home, 'npm', ['run', 'dev', '--', '--port', String(port), '--log', 'mcp-hubspot']);
    await dev.waitFor(/The MCP gateway dev stack is up/);
    expect(dev.output()).toContain('Access tokens from the stand-in live 10 minutes');
    expect(dev.output()).toContain(`Entra stand-in     http://127.0.0.1:${port + 1}/`);
    // --log mcp-hubspot: its lines, nobody else's.
    expect(dev.output()).toMatch(/^\[mcp-hubspot\] /m);
    expect(dev.output()).not.toMatch(/^\[mcp-(example|mssql|ui)\] /m);

    const hubspot = leftovers(home).find((p) => p.command.includes('apps/mcp-hubspot/src/index.ts'))!;
    expect(hubspot).toBeDefined();
    process.kill(hubspot.pid, 'SIGKILL');
    await dev.waitFor(/\[dev\] mcp-hubspot exited \(code 137\); starting it again in 1 s/);
    await dev.waitFor(/\[dev\] mcp-hubspot is running again/, 60_000);
    const again = leftovers(home).find((p) => p.command.includes('apps/mcp-hubspot/src/index.ts'));
    expect(again && again.pid !== hubspot.pid).toBe(true);

    const before = leftovers(home, dev.child.pid).map((p) => p.command);
    expect(before.some((command) => command.includes('redis-server'))).toBe(true);
    process.kill(dev.child.pid!, 'SIGTERM');
    await dev.exited;
    expect(await noLeftovers(home, dev.child.pid)).toEqual([]);
  });

  it('stops its children through the reaper when the dev process is killed outright, and keeps port and secret for the next run', { timeout: 300_000 }, async () => {
    const home = freshHome();
    const port = await portPair();
    const first = run(home, node, ['dev/cli.ts', '--port', String(port), '--log', 'none']);
    await first.waitFor(/The MCP gateway dev stack is up/);
    const secret = (JSON.parse(readFileSync(path.join(home, 'state', 'state.json'), 'utf8')) as { devCliSecret: string }).devCliSecret;
    expect(leftovers(home).filter((p) => p.command.includes('/apps/')).length).toBeGreaterThanOrEqual(4);
    process.kill(first.child.pid!, 'SIGKILL');
    await first.exited;
    expect(await noLeftovers(home, first.child.pid)).toEqual([]);

    // The next run: the same Entra stand-in address and dev client secret, unless asked for new ones.
    const second = run(home, node, ['dev/cli.ts', '--port', String(port), '--log', 'none']);
    await second.waitFor(/The MCP gateway dev stack is up/);
    expect(second.output()).toContain(`Entra stand-in     http://127.0.0.1:${port + 1}/`);
    expect((JSON.parse(readFileSync(path.join(home, 'state', 'state.json'), 'utf8')) as { devCliSecret: string }).devCliSecret).toBe(secret);
    process.kill(second.child.pid!, 'SIGINT');
    expect(await second.exited).toBe(0);
    expect(await noLeftovers(home, second.child.pid)).toEqual([]);

    const third = run(home, node, ['dev/cli.ts', '--port', String(port), '--log', 'none', '--new-secrets']);
    await third.waitFor(/The MCP gateway dev stack is up/);
    expect((JSON.parse(readFileSync(path.join(home, 'state', 'state.json'), 'utf8')) as { devCliSecret: string }).devCliSecret).not.toBe(secret);
    process.kill(third.child.pid!, 'SIGTERM');
    await third.exited;
    expect(await noLeftovers(home, third.child.pid)).toEqual([]);
  });
});

describe('the dev stack log and restarts', () => {
  it('hides the servers’ 405 answers to GET-stream probes unless --verbose, and filters by process', () => {
    const refusal = '{"time":"2026-12-03T10:00:00.000Z","level":"info","service":"mcp-example","msg":"mcp request refused","status":405,"reason":"method","duration_ms":0.1}';
    expect(isStreamProbeRefusal(refusal)).toBe(true);
    expect(isStreamProbeRefusal(refusal.replace('405', '413'))).toBe(false);
    const lines: string[] = [];
    const quiet = createPrinter({ only: new Set(['mcp-example']), write: (text) => lines.push(text) });
    quiet('mcp-example', refusal);
    quiet('mcp-example', 'listening');
    quiet('mcp-hubspot', 'listening');
    quiet('dev', 'mcp-hubspot exited (code 137)');
    expect(lines).toEqual(['[mcp-example] listening\n', '[dev] mcp-hubspot exited (code 137)\n']);
    const verbose: string[] = [];
    createPrinter({ verbose: true, write: (text) => verbose.push(text) })('mcp-example', refusal);
    expect(verbose).toHaveLength(1);
  });

  it('backs off 1, 2, 4 … 30 s and reports a signal as 128 + its number', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(3, null)).toBe(3);
  });
});
