/**
 * Attacks on the local gateway (issue 19), each performed the way an outsider would, on loopback: the gateway
 * serves the manifests rendered from servers.json, and every route's upstream is a recording server that
 * answers each request with the id the request carried, so an answer handed to the wrong client shows (and
 * answers `/slow`, as a long tool call would, 150 ms late).
 * That upstream stands in for an MCP server: like the MCP runtime (packages/mcp-runtime/src/body.ts) it
 * refuses a body over 1 MiB with 413 and closes the connection.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type KeyObject } from 'jose';
import { loadRegistrySync, renderObjects } from '../../generators/src/index.ts';
import { readGatewayModel, type KubeObject } from '../gateway/manifests.ts';
import { startLocalGateway, type LocalGateway } from '../gateway/server.ts';
import { repoRoot } from './support.ts';

const registry = loadRegistrySync(path.join(repoRoot, 'servers.json')).registry!;
const model = readGatewayModel(renderObjects(registry) as KubeObject[]);
const policy = model.matches.find((m) => m.jwt)!.jwt!;
const UPSTREAM_BODY_LIMIT = 1_048_576;

let upstream: http.Server;
let gateway: LocalGateway;
let privateKey: KeyObject | CryptoKey;
const kid = 'hardening-key';
const seenByUpstream: string[] = [];

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey;
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  upstream = http.createServer((req, res) => {
    const id = String(req.headers['x-test-id'] ?? '');
    seenByUpstream.push(id);
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > UPSTREAM_BODY_LIMIT && !res.headersSent) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end('{"error":"payload too large"}', () => req.socket.destroy());
      }
    });
    req.on('end', () => {
      if (res.headersSent) return;
      // A slow call (a long tool run) answers later, when its connection may already carry the next request.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, method: req.method, path: req.url }));
      }, req.url === '/slow' ? 150 : 0);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  gateway = await startLocalGateway({ model, resolve: () => ({ host: '127.0.0.1', port }), keys: jwks });
});
afterAll(async () => {
  await gateway?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown> = {}, times: { iat?: number; nbf?: number; exp?: number | null } = {}): Promise<string> {
  const jwt = new SignJWT({ scp: 'mcp.access', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(policy.issuer)
    .setAudience(policy.audiences[0]!)
    .setSubject('attacker')
    .setIssuedAt(times.iat ?? now());
  if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
  if (times.exp !== null) jwt.setExpirationTime(times.exp ?? now() + 600);
  return jwt.sign(privateKey);
}

/** Writes raw bytes to the gateway and returns everything it answers until it closes or goes quiet. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(gateway.url.port), '127.0.0.1');
    let answer = '';
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(done, 500);
    });
    socket.on('end', done);
    socket.on('error', reject);
    socket.write(bytes);
  });
}

/** A complete second request, hidden as the chunked body of a request that takes no body. */
function smuggling(method: 'DELETE' | 'GET', bearer: string): string {
  const hidden = 'GET /slow HTTP/1.1\r\nHost: mcp-example-service:8000\r\nx-test-id: smuggled\r\n\r\n';
  return (
    `${method} /mcp/mcp-example HTTP/1.1\r\nHost: ${gateway.url.host}\r\nAuthorization: Bearer ${bearer}\r\nx-test-id: outer-${method}\r\n` +
    `Transfer-Encoding: chunked\r\n\r\n${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`
  );
}

describe('request smuggling through the gateway', () => {
  it('refuses a DELETE or GET whose chunked body is a second request, and 90 normal requests each get their own answer', async () => {
    const bearer = await token();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const one = (i: number) =>
      new Promise<{ sent: string; got: string }>((resolve, reject) => {
        const sent = `normal-${i}`;
        const body = JSON.stringify({ jsonrpc: '2.0', id: i, method: 'ping' });
        const request = http.request(
          { host: '127.0.0.1', port: gateway.url.port, path: '/mcp/mcp-example', method: 'POST', agent, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'x-test-id': sent, 'content-length': Buffer.byteLength(body) } },
          (response) => {
            let text = '';
            response.on('data', (c) => (text += c));
            response.on('end', () => resolve({ sent, got: (JSON.parse(text) as { id?: string }).id ?? text }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    // The attacks go in while other clients keep calling, as on a busy gateway.
    const attacks = (['DELETE', 'GET'] as const).map((method) => rawExchange(smuggling(method, bearer)).then((answer) => [method, answer.split('\r\n')[0]] as const));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const results: { sent: string; got: string }[] = [];
    for (let wave = 0; wave < 15; wave++) results.push(...(await Promise.all(Array.from({ length: 6 }, (_, i) => one(wave * 6 + i)))));
    agent.destroy();
    const crossed = results.filter((r) => r.sent !== r.got);
    expect(crossed, `${crossed.length} of 90 requests got another request's answer`).toEqual([]);
    expect(seenByUpstream).not.toContain('smuggled');
    expect(Object.fromEntries(await Promise.all(attacks))).toEqual({ DELETE: 'HTTP/1.1 400 Bad Request', GET: 'HTTP/1.1 400 Bad Request' });
  });

  it('still forwards a POST with a chunked body, re-framed for the upstream', async () => {
    const bearer = await token();
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const answer = await rawExchange(
      `POST /mcp/mcp-example HTTP/1.1\r\nHost: ${gateway.url.host}\r\nAuthorization: Bearer ${bearer}\r\nx-test-id: chunked-post\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer).toContain('"id":"chunked-post"');
  });
});

describe('answers carry no internal error text', () => {
  it('answers an 8 MiB body with the gateway\'s own refusal (the route\'s body limit, 413), not a 502 with "write EPIPE"', async () => {
    const response = await fetch(new URL('/mcp/mcp-example', gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: Buffer.alloc(8 * 1_048_576, 'a'),
    });
    const text = await response.text();
    expect(response.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ error: 'payload_too_large', error_description: "the request body is larger than this route's limit of 1048576 bytes" });
    expect(text).not.toMatch(/EPIPE|ECONNRESET|Error:/);
  });

  it('passes on the upstream\'s own refusal of a body it will not read, or a fixed 502, never the socket error', async () => {
    const response = await fetch(new URL('/mcp/mcp-example', gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: Buffer.alloc(1_600_000, 'a'),
    });
    const text = await response.text();
    expect([413, 502]).toContain(response.status);
    expect(text).not.toMatch(/EPIPE|ECONNRESET|Error:|socket/);
  });
});

describe('token times, as v1.4.1 checks them (and a little stricter)', () => {
  const status = async (bearer: string) =>
    (await fetch(new URL('/mcp/mcp-example', gateway.url), { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: '{}' })).status;

  it('refuses a token without exp (v1.4.1 requires it)', async () => {
    expect(await status(await token({}, { exp: null }))).toBe(401);
  });

  it('refuses a token issued, or valid from, more than 60 s in the future', async () => {
    expect(await status(await token({}, { iat: now() + 3600, exp: now() + 7200 }))).toBe(401);
    expect(await status(await token({}, { nbf: now() + 3600, exp: now() + 7200 }))).toBe(401);
  });

  it('allows the 60 s of clock skew v1.4.1 allows, on exp, iat and nbf', async () => {
    expect(await status(await token({}, { exp: now() - 30 }))).toBe(200);
    expect(await status(await token({}, { iat: now() + 30, nbf: now() + 30 }))).toBe(200);
  });
});

describe('WWW-Authenticate', () => {
  it('is the fixed v1.4.1 challenge for every refused token: no library text, nothing to unescape', async () => {
    const stranger = await new SignJWT({ scp: 'mcp.access' }).setProtectedHeader({ alg: 'RS256', kid: 'who"knows' }).setIssuer(policy.issuer).setAudience(policy.audiences[0]!).setExpirationTime('5m').sign((await generateKeyPair('RS256')).privateKey);
    const bad = [await token({}, { exp: now() - 600 }), await token({}, { exp: null }), stranger, 'a.b.c', '"'];
    for (const bearer of bad) {
      const response = await fetch(new URL('/mcp/mcp-example', gateway.url), { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: '{}' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${gateway.url.origin}/.well-known/oauth-protected-resource/mcp/mcp-example"`);
    }
  });

  it('cannot be given a quote through the Host header or the path', async () => {
    const answer = await rawExchange(`POST /mcp/mcp-example HTTP/1.1\r\nHost: evil"x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    const quoted = await rawExchange(`POST /mcp/mcp-example/%22x HTTP/1.1\r\nHost: ${gateway.url.host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    const challenge = /^www-authenticate: (.*)$/im.exec(quoted)?.[1] ?? '';
    expect(challenge).toBe(`Bearer resource_metadata="${gateway.url.origin}/.well-known/oauth-protected-resource/mcp/mcp-example/%22x"`);
  });
});
