/**
 * Debian's redis-server on loopback, for `npm run dev` and the tests: the session store the UI's replicas share.
 * Nothing is persisted (no RDB, no AOF), the default user is off, and the one user is the UI's, with the
 * password and ACL rules it has in a cluster. A test harness; in a cluster the Redis is the operator's
 * (docs/operations.md, "UI sessions").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './processes.ts';

export interface LocalRedis {
  /** `redis://<user>@127.0.0.1:<port>`: the password goes separately, as in the cluster. */
  url: URL;
  port: number;
  process: ChildProcess;
  close(): Promise<void>;
}

export interface RedisUser {
  name: string;
  password: string;
  /** ACL rules after `on >password`, e.g. the UI's REDIS_ACL_RULES. */
  rules: string;
}

/** The redis-server binary: on the PATH, or where Debian puts it. */
export function redisServerBinary(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin']) {
    const file = path.join(dir, 'redis-server');
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

/** Answers once the server replies to PING (an authentication error is a reply too). */
async function waitForReply(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output()}`);
    const replied = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (replied) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not answer on port ${port} within 20 s:\n${output()}`);
}

export async function startRedisServer(user: RedisUser): Promise<LocalRedis> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is not installed: npm run setup installs it (Debian: apt-get install redis-server)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-redis-'));
  const port = await freePort();
  const config = [
    `port ${port}`,
    'bind 127.0.0.1',
    'protected-mode yes',
    'save ""',
    'appendonly no',
    `dir ${dir}`,
    'user default off',
    `user ${user.name} on >${user.password} ${user.rules}`,
  ];
  await writeFile(path.join(dir, 'redis.conf'), `${config.join('\n')}\n`, { mode: 0o600 });
  const child = spawn(binary, [path.join(dir, 'redis.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForReply(port, child, () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: new URL(`redis://${encodeURIComponent(user.name)}@127.0.0.1:${port}`), port, process: child, close };
}

/**
 * For a workload whose environment names a session store (the UI's SESSION_STORE_URL): starts redis-server with
 * the URL's user, the password from the mounted Secret file and the UI's ACL rules, and points the variables at
 * it (plain TCP on loopback, so no CA file). Undefined when the workload names none.
 */
export async function startSessionStoreFor(env: Record<string, string>): Promise<LocalRedis | undefined> {
  if (!env.SESSION_STORE_URL) return undefined;
  const { REDIS_ACL_RULES } = await import('../apps/mcp-ui/src/server/session-store.ts');
  const wanted = new URL(env.SESSION_STORE_URL);
  const passwordFile = env.SESSION_STORE_PASSWORD_FILE;
  const password = passwordFile ? (await readFile(passwordFile, 'utf8')).trim() : '';
  if (!password) throw new Error(`SESSION_STORE_PASSWORD_FILE (${passwordFile ?? 'unset'}) holds no password for the local redis-server`);
  const redis = await startRedisServer({ name: decodeURIComponent(wanted.username) || 'default', password, rules: REDIS_ACL_RULES });
  env.SESSION_STORE_URL = redis.url.href;
  delete env.SESSION_STORE_CA_FILE;
  return redis;
}
