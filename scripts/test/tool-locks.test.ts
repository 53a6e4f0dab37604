/**
 * The tool locks against the servers they lock, as CI checks them (`npm run tools:check`, part of `npm test`): each
 * server of apps/ built by the image recipe, started with the environment its workload renders and its committed
 * lock mounted, asked by the official MCP SDK v2 client in 2025-11-25 and 2026-07-28; the lock round-trip for the
 * three servers (written again from scratch it is byte for byte the committed file, which the generator renders and
 * the server's own start-up check accepts); a lock from a running instance at a URL (behind a loopback stand-in of a
 * gateway that wants a bearer token) and its drift check; a lock written by hand; and the command's refusals.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLock } from '@mcp-gateway/tool-lock';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp as createExampleApp } from '@mcp-gateway/mcp-example';
import { loadRegistrySync, renderObjects } from '../../generators/src/index.ts';
import { REPO_ROOT } from './helpers.ts';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'scripts/tool-locks/cli.ts');
const SERVERS = ['mcp-example', 'mcp-hubspot', 'mcp-mssql'];

/** The command as npm runs it (`tools:lock` is `cli.ts lock`); never throws. */
async function tools(mode: 'lock' | 'check', args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, mode, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let scratch: string;

/** A repository root with this one's servers.json, a copy of its locks, its apps/ and node_modules linked. */
function copyRoot(name: string): string {
  const root = join(scratch, name);
  mkdirSync(root);
  cpSync(join(REPO_ROOT, 'servers.json'), join(root, 'servers.json'));
  cpSync(join(REPO_ROOT, 'tool-locks'), join(root, 'tool-locks'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'apps'), join(root, 'apps'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tool-locks-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run tools:check (CI)', () => {
  it('finds every server built from apps/ as its lock says, in both protocol eras, and its own start-up check agrees', async () => {
    const { code, stdout, stderr } = await tools('check', []);
    // On a difference this names the tool and the field, and says how to update the lock.
    expect(stdout + stderr, stdout + stderr).not.toContain('differs');
    expect(code).toBe(0);
    for (const server of SERVERS) {
      expect(stdout).toMatch(new RegExp(`^${server}: the server built from apps/${server} \\(2025-11-25, 2026-07-28\\) matches tool-locks/${server}\\.json \\(\\d+ tool\\(s\\)\\)$`, 'm'));
    }
  });
});

describe('the lock round-trip of the three servers', () => {
  it('written again from each server it is the committed file, byte for byte; written from nothing, the same', async () => {
    const root = copyRoot('round-trip');
    const again = await tools('lock', ['--root', root]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    for (const server of SERVERS) expect(again.stdout).toContain(`${server}: tool-locks/${server}.json unchanged from apps/${server}, started as its image runs it; 2025-11-25 and 2026-07-28 agree`);
    rmSync(join(root, 'tool-locks'), { recursive: true });
    const fresh = await tools('lock', ['--root', root]);
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('next: npm run generate, then commit tool-locks/ with base/');
    for (const server of SERVERS) expect(readFileSync(join(root, 'tool-locks', `${server}.json`), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'tool-locks', `${server}.json`), 'utf8'));
  });

  it('the generator renders each lock, unchanged, into the ConfigMap its pods mount, and pins the tool rules to it', () => {
    const registry = loadRegistrySync(join(REPO_ROOT, 'servers.json')).registry!;
    const objects = renderObjects(registry);
    for (const server of SERVERS) {
      const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${server}-tool-lock`) as unknown as { data: Record<string, string> };
      expect(configMap.data['tools.json']).toBe(readFileSync(join(REPO_ROOT, 'tool-locks', `${server}.json`), 'utf8'));
      const names = parseLock(configMap.data['tools.json']!).tools.map((t) => t.name);
      const rules = (objects.find((o) => o.metadata.name === `${server}-tool-access`) as any).spec.backend.mcp.authorization.policy.matchExpressions as string[];
      for (const rule of rules) expect(rule.endsWith(`&& (!has(mcp.tool) || mcp.tool.name in ${JSON.stringify(names).replaceAll(',', ', ')})`)).toBe(true);
    }
  });
});

/** A stand-in for a gateway in front of a server: it wants `Authorization: Bearer <token>`, then passes requests on. */
async function bearerProxy(upstream: URL, token: string): Promise<{ url: URL; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const forward = request(new URL(req.url ?? '/', upstream), { method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: new URL(`http://127.0.0.1:${port}${upstream.pathname}`), server, seen };
}

describe('a lock from a running instance, and drift at run time', () => {
  let example: RunningMcpApp;
  let proxy: Awaited<ReturnType<typeof bearerProxy>>;
  beforeAll(async () => {
    example = await startMcpApp(createExampleApp({}), { port: 0, host: '127.0.0.1' }, { logSink: () => {} });
    proxy = await bearerProxy(example.url, 'test-token-value');
  });
  afterAll(async () => {
    proxy?.server.close();
    await example?.close();
  });

  it('writes the lock from the URL, with the token from a variable, and records the URL without credentials', async () => {
    const root = copyRoot('from-url');
    const url = new URL(proxy.url);
    url.search = '?key=secret-in-query';
    const result = await tools('lock', ['mcp-example', '--url', url.href, '--token-env', 'LOCK_TOKEN', '--root', root], { ...process.env, LOCK_TOKEN: 'test-token-value' });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^mcp-example: tool-locks\/mcp-example\.json written from the running instance at http:\/\/127\.0\.0\.1:\d+\/mcp; 2025-11-25 and 2026-07-28 agree: 5 tool\(s\)$/m);
    const text = readFileSync(join(root, 'tool-locks/mcp-example.json'), 'utf8');
    expect(parseLock(text).source).toEqual({ kind: 'url', url: `http://127.0.0.1:${proxy.url.port}/mcp`, protocolVersions: ['2025-11-25', '2026-07-28'] });
    expect(result.stdout + text).not.toMatch(/secret-in-query|test-token-value/);
    expect(proxy.seen.every((header) => header === 'Bearer test-token-value')).toBe(true);
    // Same tools as the lock from the image: only the source differs.
    expect(parseLock(text).digest).toBe(parseLock(readFileSync(join(REPO_ROOT, 'tool-locks/mcp-example.json'), 'utf8')).digest);
  });

  it('compares a running server with its lock: matches, then names the tool and field of a drifted one', async () => {
    const matches = await tools('check', ['mcp-example', '--url', String(example.url)]);
    expect(matches.code, matches.stdout + matches.stderr).toBe(0);
    expect(matches.stdout).toMatch(/^mcp-example: the running server at http:\/\/127\.0\.0\.1:\d+\/mcp \(2025-11-25, 2026-07-28\) matches tool-locks\/mcp-example\.json \(5 tool\(s\)\)$/m);
    // The same lock against a server whose tools drifted: the lock of another server stands in for its lock.
    const root = copyRoot('drift');
    writeFileSync(join(root, 'tool-locks/mcp-example.json'), readFileSync(join(REPO_ROOT, 'tool-locks/mcp-example.json'), 'utf8').replace('Returns the text it is given.', 'Returns the text.'));
    const drift = await tools('check', ['mcp-example', '--url', String(example.url), '--root', root]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('~ tool "echo": description changed');
    expect(drift.stdout).toContain('description: Returns the text{+ it is given+}.');
    expect(drift.stdout).toContain('update the lock if the change is intended: npm run tools:lock -- mcp-example, then npm run generate');
  });

  it('reaches a server whose Host check admits only its Service names (through kubectl port-forward) with --host', async () => {
    const guarded = await startMcpApp(createExampleApp({}), { port: 0, host: '127.0.0.1', allowedHosts: ['mcp-example-service'] }, { logSink: () => {} });
    try {
      const refused = await tools('check', ['mcp-example', '--url', String(guarded.url)]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('answered in neither era');
      const reached = await tools('check', ['mcp-example', '--url', String(guarded.url), '--host', 'mcp-example-service']);
      expect(reached.code, reached.stdout + reached.stderr).toBe(0);
      expect(reached.stdout).toContain('(2025-11-25, 2026-07-28) matches tool-locks/mcp-example.json');
    } finally {
      await guarded.close();
    }
  });

  it('refuses a token variable that is not set, and a URL that is not http', async () => {
    const unset = await tools('lock', ['mcp-example', '--url', String(example.url), '--token-env', 'NOT_SET_ANYWHERE', '--root', copyRoot('unset')], { PATH: process.env.PATH });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('--token-env NOT_SET_ANYWHERE: the variable is not set');
    const ftp = await tools('check', ['mcp-example', '--url', 'ftp://x/mcp']);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('--url ftp://x/mcp: not an http(s) URL of an MCP endpoint');
    const credentials = await tools('check', ['mcp-example', '--url', 'http://user:pass@127.0.0.1:9/mcp']);
    expect(credentials.code).toBe(2);
    expect(credentials.stderr).toContain('--url: no credentials in the URL; pass a bearer token with --token-env VAR');
    expect(credentials.stderr).not.toContain('pass@');
  });

  it('says which server it cannot reach, without a stack trace or the query of its URL', async () => {
    const result = await tools('check', ['mcp-example', '--url', 'http://127.0.0.1:9/mcp?key=secret-in-query']);
    expect(result.stdout + result.stderr).not.toContain('secret-in-query');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^mcp-example: the server at http:\/\/127\.0\.0\.1:9\/mcp answered in neither era:/m);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a lock written by hand', () => {
  it('gets its digests from --by-hand, and then passes the generator', async () => {
    const root = copyRoot('by-hand');
    writeFileSync(
      join(root, 'tool-locks/mcp-mssql.json'),
      JSON.stringify({ server: 'mcp-mssql', source: { kind: 'hand' }, digest: '', tools: [{ name: 'run_query', digest: '', description: 'Runs a guarded SELECT.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }] }, null, 2),
    );
    const result = await tools('lock', ['mcp-mssql', '--by-hand', '--root', root]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('mcp-mssql: tool-locks/mcp-mssql.json written from the tools written in it by hand: 1 tool(s)');
    const { registry, problems } = loadRegistrySync(join(root, 'servers.json'));
    expect(problems).toEqual([]);
    expect(registry!.servers.find((s) => s.name === 'mcp-mssql')!.toolLock.tools.map((t) => t.name)).toEqual(['run_query']);
  });

  it('refuses usage it does not understand, with the usage', async () => {
    const none = await tools('lock', ['--by-hand']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run tools:lock');
    const unknown = await tools('lock', ['mcp-nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('no server named "mcp-nope" in servers.json (mcp-example, mcp-hubspot, mcp-mssql)');
  });
});
