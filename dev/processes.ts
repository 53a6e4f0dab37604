/**
 * Starts the repository's programs as child processes on Node 24 and waits until they answer /healthz.
 * Output is kept (and optionally echoed with a name prefix) so a failing start says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LocalProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startProcess(options: {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  cwd: string;
  echo?: boolean;
  healthPath?: string;
}): Promise<LocalProcess> {
  const child = spawn(process.execPath, [options.entry], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (options.echo) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const local: LocalProcess = {
    name: options.name,
    port: options.port,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
  await waitHealthy(local, options.healthPath ?? '/healthz');
  return local;
}

async function waitHealthy(local: LocalProcess, healthPath: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (local.child.exitCode !== null) throw new Error(`${local.name} exited with ${local.child.exitCode}:\n${local.output()}`);
    const ok = await fetch(`http://127.0.0.1:${local.port}${healthPath}`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  await local.stop();
  throw new Error(`${local.name} did not answer ${healthPath} within 20 s:\n${local.output()}`);
}
