/**
 * Starts the repository's programs as child processes on Node 24 and waits until they answer /healthz.
 * The stack owns them: a child that exits on its own is announced and started again with back-off (as the
 * kubelet restarts a container), every child's pid is given to the reaper (reaper.ts), which stops them if
 * this process dies without stopping them itself, and `stop()` ends one for good. Output is kept (so a
 * failing start says why) and, when asked, passed to `echo` line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LocalProcess {
  name: string;
  port: number;
  /** The running child (a new one after each restart). */
  readonly child: ChildProcess;
  /** How many times it was started again after exiting on its own. */
  readonly restarts: number;
  output(): string;
  stop(): Promise<void>;
}

/** Receives one line of a process's output (or of the stack's own announcements, from "dev"). */
export type Echo = (source: string, line: string) => void;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a port on 127.0.0.1 can be listened on now. */
export async function portIsFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The exit code as a shell reports it: 128 + the signal number when a signal ended the process (137 = SIGKILL). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
}

let reaper: ChildProcess | undefined;
/** Tells the reaper about a pid (`+`) or that one is gone (`-`); starts the reaper on first use. */
export function reap(change: '+' | '-', pid: number | undefined): void {
  if (pid === undefined) return;
  if (!reaper) {
    reaper = spawn(process.execPath, [path.join(import.meta.dirname, 'reaper.ts')], { stdio: ['pipe', 'ignore', 'ignore'], detached: true, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1' } });
    reaper.unref();
    (reaper.stdin as unknown as net.Socket).unref();
    reaper.stdin!.on('error', () => undefined);
  }
  reaper.stdin!.write(`${change}${pid}\n`);
}

/** Tells the reaper the stack stopped its children itself (resolves once it has been told). */
export function dismissReaper(): Promise<void> {
  const stdin = reaper?.stdin;
  reaper = undefined;
  if (!stdin) return Promise.resolve();
  return new Promise((resolve) => stdin.end('done\n', () => resolve()));
}

/** Restart back-off: 1 s, 2 s, 4 s … 30 s; back to 1 s after a minute up. */
export function restartDelayMs(failuresInARow: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failuresInARow - 1));
}

export async function startProcess(options: {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  cwd: string;
  echo?: Echo | boolean;
  healthPath?: string;
  /** Start it again when it exits on its own (default true). */
  restart?: boolean;
}): Promise<LocalProcess> {
  const echo: Echo | undefined = options.echo === true ? (source, line) => process.stdout.write(`[${source}] ${line}\n`) : options.echo || undefined;
  let output = '';
  let child!: ChildProcess;
  let stopping = false;
  let restarts = 0;
  let failuresInARow = 0;
  let exited!: Promise<void>;
  let pendingRestart: NodeJS.Timeout | undefined;

  const spawnChild = () => {
    child = spawn(process.execPath, [options.entry], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    reap('+', child.pid);
    const started = Date.now();
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (echo) for (const line of chunk.toString().split('\n').filter(Boolean)) echo(options.name, line);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const current = child;
    exited = new Promise<void>((resolve) =>
      current.once('exit', (code, signal) => {
        reap('-', current.pid);
        resolve();
        if (stopping || options.restart === false) return;
        failuresInARow = Date.now() - started > 60_000 ? 1 : failuresInARow + 1;
        const delay = restartDelayMs(failuresInARow);
        echo?.('dev', `${options.name} exited (code ${exitCodeOf(code, signal)}); starting it again in ${delay / 1000} s`);
        pendingRestart = setTimeout(() => {
          pendingRestart = undefined;
          if (stopping) return;
          restarts++;
          spawnChild();
          waitHealthy(local, options.healthPath ?? '/healthz').then(
            () => echo?.('dev', `${options.name} is running again`),
            () => undefined, // its exit is announced and retried by the exit handler
          );
        }, delay);
      }),
    );
  };

  const local: LocalProcess = {
    name: options.name,
    port: options.port,
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    output: () => output,
    stop: async () => {
      stopping = true;
      clearTimeout(pendingRestart);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
  spawnChild();
  try {
    await waitHealthy(local, options.healthPath ?? '/healthz');
  } catch (error) {
    await local.stop();
    throw error;
  }
  return local;
}

async function waitHealthy(local: LocalProcess, healthPath: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  const child = local.child;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${local.name} exited with ${child.exitCode}:\n${local.output()}`);
    const ok = await fetch(`http://127.0.0.1:${local.port}${healthPath}`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${local.name} did not answer ${healthPath} within 20 s:\n${local.output()}`);
}
