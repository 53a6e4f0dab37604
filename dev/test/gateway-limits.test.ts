/**
 * The local gateway enforces each MCP route's limits from the rendered access policy, as agentgateway v1.4.1 does
 * (dev/gateway/limits.ts): the local rate limit after authentication (429 with x-ratelimit-*; a bucket of
 * requests + burst, refilled every unit, one per route) and the request body limit (413 past
 * traffic.buffer.request.maxBytes, the connection kept). The upstream is a recording server on loopback standing
 * in for an MCP server; the gateway's clock is the test's, so no verdict depends on speed.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type KeyObject } from 'jose';
import { parseRegistry, renderObjects } from '../../generators/src/index.ts';
import { locksFor } from '../../generators/test/helpers.ts';
import { readGatewayModel, type KubeObject } from '../gateway/manifests.ts';
import { startLocalGateway, type LocalGateway } from '../gateway/server.ts';
import { repoRoot } from './support.ts';

const json = JSON.parse(await readFile(path.join(repoRoot, 'servers.json'), 'utf8'));
// mcp-example: 3 requests a second with a burst of 2, bodies up to 4 KiB; the others keep the registry's defaults.
json.servers.find((s: { name: string }) => s.name === 'mcp-example').limits = { rateLimit: { requests: 3, unit: 'Seconds', burst: 2 }, maxRequestBytes: 4096 };
const text = JSON.stringify(json);
const registry = parseRegistry(text, locksFor(text)).registry!;
const model = readGatewayModel(renderObjects(registry) as KubeObject[]);
const policy = model.matches.find((m) => m.jwt)!.jwt!;

let upstream: http.Server;
let gateway: LocalGateway;
let privateKey: KeyObject | CryptoKey;
let clock = Date.parse('2026-12-03T12:00:00.000Z');
const kid = 'limits-key';
let upstreamCalls = 0;

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey;
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  upstream = http.createServer((req, res) => {
    upstreamCalls++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":"2.0","id":1,"result":{}}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  gateway = await startLocalGateway({ model, resolve: () => ({ host: '127.0.0.1', port }), keys: jwks, now: () => new Date(clock) });
});
afterAll(async () => {
  await gateway?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

function token(): Promise<string> {
  const issued = Math.floor(clock / 1000);
  return new SignJWT({ scp: 'mcp.access', oid: 'caller-1', roles: ['SQL.Read'] })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(policy.issuer)
    .setAudience(policy.audiences[0]!)
    .setSubject('caller-1')
    .setIssuedAt(issued)
    .setExpirationTime(issued + 3600)
    .sign(privateKey);
}

async function call(route: string, bearer: string | undefined, body = '{"jsonrpc":"2.0","id":1,"method":"ping"}'): Promise<Response> {
  return fetch(new URL(route, gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body,
  });
}

describe('the local rate limit of an MCP route', () => {
  it('admits requests + burst at once, then answers 429 with the bucket, refills at the next second, and is per route', async () => {
    const bearer = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('/mcp/mcp-example', bearer)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    clock += 400;
    const refused = await call('/mcp/mcp-example', bearer);
    expect(refused.status).toBe(429);
    expect(Object.fromEntries(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((h) => [h, refused.headers.get(h)]))).toEqual({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '0',
    });
    // Another route has its own bucket.
    expect((await call('/mcp/mcp-mssql', bearer)).status).not.toBe(429);
    // The refill at the end of the second brings `requests` tokens, not the burst.
    clock += 600;
    const after: number[] = [];
    for (let i = 0; i < 4; i++) after.push((await call('/mcp/mcp-example', bearer)).status);
    expect(after).toEqual([200, 200, 200, 429]);
  });

  it('counts only callers the route admits: a request without a token is refused before the bucket', async () => {
    clock += 10_000;
    const bearer = await token();
    for (let i = 0; i < 10; i++) expect((await call('/mcp/mcp-example', undefined)).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await call('/mcp/mcp-example', bearer)).status).toBe(200);
  });
});

describe('the request body limit of an MCP route', () => {
  it('answers 413 past maxBytes without reaching the server, and the same connection serves the next request', async () => {
    clock += 10_000;
    const bearer = await token();
    const before = upstreamCalls;
    const big = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(8192) } } });
    const refused = await call('/mcp/mcp-example', bearer, big);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: 'payload_too_large' });
    expect(refused.headers.get('connection')).not.toBe('close');
    expect(upstreamCalls).toBe(before);
    expect((await call('/mcp/mcp-example', bearer)).status).toBe(200);
    // A server without its own limit keeps the registry default: its body limit, 1 MiB (a tool of its lock: the
    // gateway refuses any other as unknown).
    const bigQuery = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'run_query', arguments: { query: `SELECT '${'x'.repeat(8192)}'` } } });
    expect((await call('/mcp/mcp-mssql', bearer, bigQuery)).status).toBe(200);
  });
});
