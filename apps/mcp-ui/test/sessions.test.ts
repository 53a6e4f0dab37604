/**
 * Sign-out ends the session for every replica (issue 19, item 3; OWASP ASVS V3.3.1). Two UI server processes
 * (`node src/server/index.ts`, as the image runs it) share one Debian redis-server started here with the UI user's
 * ACL rules (REDIS_ACL_RULES, as docs/operations.md asks of the cluster's Redis); the gateway stand-in sends the
 * browser to replica A. The attack: sign in, sign out, then replay the old cookie against both replicas.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../dev/processes.ts';
import { startRedisServer, type LocalRedis } from '../../../dev/redis.ts';
import { createSealer } from '../src/server/seal.ts';
import { REDIS_ACL_RULES } from '../src/server/session-store.ts';
import { Agent } from './support/agent.ts';
import { me, signIn } from './support/sign-in.ts';
import { startStack, type Stack } from './support/stack.ts';

const ENTRY = fileURLToPath(new URL('../src/server/index.ts', import.meta.url));

interface Replica {
  url: URL;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** One UI server process with the stack's environment plus the shared session store. */
async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = new URL(`http://127.0.0.1:${port}/`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the UI replica exited with ${child.exitCode}:\n${output}`);
    if (await fetch(new URL('/readyz', url)).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the UI replica did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let stack: Stack;
let redis: LocalRedis;
let redisPassword: string;
let replicas: Replica[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  stack = await startStack();
  redisPassword = randomBytes(24).toString('base64url');
  redis = await startRedisServer({ name: 'mcp-ui', password: redisPassword, rules: REDIS_ACL_RULES });
  const passwordFile = join(stack.env.SESSION_KEY_FILE!, '..', 'session-store-password');
  writeFileSync(passwordFile, `${redisPassword}\n`);
  env = { ...stack.env, SESSION_STORE_URL: redis.url.href, SESSION_STORE_PASSWORD_FILE: passwordFile };
  replicas = await Promise.all([startReplica(env), startReplica(env)]);
  stack.gateway.setUiTarget(replicas[0]!.url);
}, 90_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await redis?.close();
  await stack?.close();
});

const replay = (replica: Replica, cookie: string, path: string, init: RequestInit = {}) =>
  fetch(new URL(path, replica.url), { ...init, headers: { ...(init.headers as Record<string, string>), cookie, origin: stack.publicUrl.origin } });

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'replay', version: '1' } } });

async function passThrough(replica: Replica, cookie: string, csrf: string): Promise<number> {
  const response = await replay(replica, cookie, '/api/mcp/mcp-example', {
    method: 'POST',
    headers: { 'x-csrf-token': csrf, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: initialize,
  });
  await response.text();
  return response.status;
}

describe('sessions shared by two UI replicas through redis-server', () => {
  it('sign-out on one replica ends the session on both: the replayed cookie is refused on /api/me and the pass-through', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    const { body } = await me(agent, stack.publicUrl);
    const csrf = body.csrfToken as string;
    const cookie = agent.cookieHeader(stack.publicUrl);
    // Before sign-out the same cookie works on both replicas: the store is shared.
    for (const replica of replicas) {
      expect((await replay(replica, cookie, '/api/me')).status).toBe(200);
      expect(await passThrough(replica, cookie, csrf)).toBe(200);
    }

    const logout = await agent.request(new URL('/auth/logout', stack.publicUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.publicUrl.origin },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(logout.status).toBe(303);

    for (const replica of replicas) {
      const meAfter = await replay(replica, cookie, '/api/me');
      expect(meAfter.status, `replica ${replica.url.port}`).toBe(401);
      expect(await meAfter.json()).toMatchObject({ signedIn: false });
      expect(await passThrough(replica, cookie, csrf)).toBe(401);
      expect((await replay(replica, cookie, '/api/catalog', { headers: { 'x-csrf-token': csrf } })).status).toBe(401);
    }
  });

  it('the cookie is an opaque id; the tokens, refresh token included, stay sealed in the store and never reach the browser', async () => {
    const agent = new Agent();
    const hops = await signIn(agent, stack.publicUrl);
    const who = await me(agent, stack.publicUrl);
    const id = agent.cookiesFor(stack.publicUrl).get('mcpui-session')!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Read the record as the UI's Redis user would (its key is a hash of the id) and open it with the session key.
    const client = createClient({ url: `redis://${redis.url.host}`, username: 'mcp-ui', password: redisPassword, disableClientInfo: true });
    await client.connect();
    try {
      const raw = await client.get(`mcp-ui:session:${createHash('sha256').update(id).digest('base64url')}`);
      expect(raw).toMatch(/^v1\./);
      const record = createSealer(readFileSync(stack.env.SESSION_KEY_FILE!, 'utf8').trim()).unseal(`session:${id}`, raw!) as { refreshToken: string; accessToken: string };
      expect(record.refreshToken.length).toBeGreaterThan(10);
      expect(raw).not.toContain(record.refreshToken);
      const seenByBrowser = JSON.stringify([...hops.map((hop) => [hop.text, [...hop.headers]]), who, [...agent.cookiesFor(stack.publicUrl)]]);
      expect(seenByBrowser).not.toContain(record.refreshToken);
      expect(seenByBrowser).not.toContain(record.accessToken);
      // The UI's user may touch only its own keys.
      await expect(client.get('other-app:key')).rejects.toThrow(/NOPERM/);
    } finally {
      await client.close();
    }
  });

  it('another deployment (another session key) on the same store cannot open the session', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    const otherKey = join(stack.env.SESSION_KEY_FILE!, '..', 'other-session-key');
    writeFileSync(otherKey, randomBytes(32).toString('base64'));
    const other = await startReplica({ ...env, SESSION_KEY_FILE: otherKey });
    try {
      expect((await replay(other, agent.cookieHeader(stack.publicUrl), '/api/me')).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('answers 503 (never a guess about the session) while the store does not answer, and readiness says so', async () => {
    const agent = new Agent();
    await signIn(agent, stack.publicUrl);
    const cookie = agent.cookieHeader(stack.publicUrl);
    redis.process.kill('SIGSTOP');
    try {
      const response = await replay(replicas[1]!, cookie, '/api/me');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: 'session_store_unavailable' });
      expect((await fetch(new URL('/readyz', replicas[1]!.url))).status).toBe(503);
    } finally {
      redis.process.kill('SIGCONT');
    }
    await expect.poll(async () => (await replay(replicas[1]!, cookie, '/api/me')).status, { timeout: 20_000 }).toBe(200);
  });
});
