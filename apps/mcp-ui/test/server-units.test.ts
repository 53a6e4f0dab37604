import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkedCookies, MAX_CHUNK_CHARS, readChunkedCookie } from '../src/server/cookies.ts';
import { createSealer } from '../src/server/seal.ts';
import { findJsonRpcResult, gatewayUrlFor, parseCatalog } from '../src/server/catalog.ts';
import { loadUiConfig } from '../src/server/config.ts';
import { resolveUnder } from '../src/server/static-files.ts';
import { safeReturnTo } from '../src/server/auth-routes.ts';

describe('sealed cookies', () => {
  const sealer = createSealer('k'.repeat(40));
  it('open only with the same key and purpose, and not after tampering', () => {
    const sealed = sealer.seal('session', { a: 1 });
    expect(sealer.unseal('session', sealed)).toEqual({ a: 1 });
    expect(sealer.unseal('flow', sealed)).toBeUndefined();
    expect(createSealer('x'.repeat(40)).unseal('session', sealed)).toBeUndefined();
    expect(sealer.unseal('session', `${sealed.slice(0, -2)}AA`)).toBeUndefined();
    expect(sealer.unseal('session', 'garbage')).toBeUndefined();
  });

  it('chunk large values and expire chunks no longer needed', () => {
    const value = 'v'.repeat(MAX_CHUNK_CHARS * 2 + 10);
    const present = new Map([['s.0', 'x'], ['s.1', 'x'], ['s.2', 'x'], ['s.3', 'x'], ['other', 'y']]);
    const headers = chunkedCookies('s', value, { secure: true, maxAgeSeconds: 60 }, present);
    expect(headers.filter((h) => /Max-Age=60/.test(h)).map((h) => h.split('=')[0])).toEqual(['s.0', 's.1', 's.2']);
    expect(headers.filter((h) => /Max-Age=0/.test(h)).map((h) => h.split('=')[0])).toEqual(['s.3']);
    expect(headers.every((h) => h.includes('Secure') && h.includes('HttpOnly') && h.length < 4096)).toBe(true);
    const jar = new Map(headers.filter((h) => /Max-Age=60/.test(h)).map((h) => [h.split('=')[0]!, h.slice(h.indexOf('=') + 1).split(';')[0]!]));
    expect(readChunkedCookie('s', jar)).toBe(value);
  });
});

describe('catalog', () => {
  it('accepts the generator format and names the first problem otherwise', () => {
    expect(parseCatalog('{"servers":[{"name":"mcp-example","description":"d","path":"/mcp/mcp-example"}]}').servers).toHaveLength(1);
    expect(() => parseCatalog('{')).toThrow(/not JSON/);
    expect(() => parseCatalog('{"servers":{}}')).toThrow(/"servers" must be an array/);
    expect(() => parseCatalog('{"servers":[{"name":"Bad Name","path":"/mcp/x"}]}')).toThrow(/servers\[0\]\.name/);
    expect(() => parseCatalog('{"servers":[{"name":"a","path":"/mcp/../admin"}]}')).toThrow(/servers\[0\]\.path/);
    expect(() => parseCatalog('{"servers":[{"name":"a","path":"/a"},{"name":"a","path":"/b"}]}')).toThrow(/twice/);
  });

  it('finds the JSON-RPC result in JSON and SSE bodies', () => {
    expect(findJsonRpcResult('application/json', '{"jsonrpc":"2.0","id":1,"result":{"x":1}}')?.result).toEqual({ x: 1 });
    expect(findJsonRpcResult('text/event-stream', 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"y":2}}\n\n')?.result).toEqual({ y: 2 });
    expect(findJsonRpcResult('text/event-stream', ': keepalive\n\n')).toBeUndefined();
  });

  it('joins the gateway URL and the route path', () => {
    expect(gatewayUrlFor(new URL('http://gw:8080'), { name: 'a', description: '', path: '/mcp/a' }).href).toBe('http://gw:8080/mcp/a');
    expect(gatewayUrlFor(new URL('http://gw:8080/base/'), { name: 'a', description: '', path: '/mcp/a' }).href).toBe('http://gw:8080/base/mcp/a');
  });
});

describe('configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-ui-config-'));
  writeFileSync(join(dir, 'secret'), 's3cret\n');
  writeFileSync(join(dir, 'key'), 'k'.repeat(44));
  writeFileSync(join(dir, 'short'), 'short');
  const env = {
    PUBLIC_URL: 'https://mcp.example.com',
    OIDC_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
    OIDC_CLIENT_ID: 'c',
    OIDC_CLIENT_SECRET_FILE: join(dir, 'secret'),
    OIDC_SCOPES: 'openid profile offline_access api://x/mcp.access',
    SESSION_KEY_FILE: join(dir, 'key'),
    GATEWAY_URL: 'http://agentgateway-proxy.agentgateway-system.svc.cluster.local:8080',
    CATALOG_FILE: '/etc/mcp-ui/catalog.json',
  };

  it('reads the contract variables and the Secret files', () => {
    const config = loadUiConfig(env);
    expect(config.port).toBe(3000);
    expect(config.clientSecret).toBe('s3cret');
    expect(config.scopes).toEqual(['openid', 'profile', 'offline_access', 'api://x/mcp.access']);
  });

  it('names what is wrong', () => {
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: undefined })).toThrow(/PUBLIC_URL is required/);
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: 'http://mcp.example.com' })).toThrow(/must be https/);
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: 'https://mcp.example.com/ui' })).toThrow(/without a path/);
    expect(() => loadUiConfig({ ...env, SESSION_KEY_FILE: join(dir, 'short') })).toThrow(/at least 32/);
    expect(() => loadUiConfig({ ...env, OIDC_CLIENT_SECRET_FILE: join(dir, 'missing') })).toThrow(/cannot read .*ENOENT/);
    expect(() => loadUiConfig({ ...env, OIDC_SCOPES: 'profile' })).toThrow(/must include openid/);
    expect(() => loadUiConfig({ ...env, PORT: '70000' })).toThrow(/PORT/);
    // The secret's value never appears in an error.
    try {
      loadUiConfig({ ...env, SESSION_KEY_FILE: join(dir, 'short') });
    } catch (error) {
      expect((error as Error).message).not.toContain('short\n');
    }
  });
});

describe('paths', () => {
  it('serves files only from inside the build folder', () => {
    expect(resolveUnder('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js');
    expect(resolveUnder('/srv/dist', '/../etc/passwd')).toBeUndefined();
    expect(resolveUnder('/srv/dist', '/%2e%2e/etc/passwd')).toBeUndefined();
    expect(resolveUnder('/srv/dist', '/a%00b')).toBeUndefined();
  });

  it('returns only to pages under /ui after sign-in', () => {
    expect(safeReturnTo('/ui/#mcp-example')).toBe('/ui/#mcp-example');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/ui//evil', '/auth/logout', '/ui\\..', null]) expect(safeReturnTo(bad)).toBe('/ui/');
  });
});

describe('token refresh', () => {
  it('refreshes inside the window only, once for concurrent requests, and gives up when refused', async () => {
    const { createSessionRefresher } = await import('../src/server/token-refresh.ts');
    let now = 1000;
    let calls = 0;
    let refuse = false;
    const oidc = {
      refresh: async (rt: string) => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 5));
        if (refuse) throw new Error('invalid_grant');
        return { accessToken: `new-${rt}`, expiresAt: now + 3600 };
      },
    } as unknown as import('../src/server/oidc.ts').OidcClient;
    const ensureFresh = createSessionRefresher(oidc, { skewSeconds: 120, now: () => now });
    const session = { sub: 's', accessToken: 'old', expiresAt: 2000, refreshToken: 'rt', csrf: 'c', createdAt: 0 };
    expect(await ensureFresh(session)).toEqual({ session, refreshed: false });
    now = 1900;
    const [a, b] = await Promise.all([ensureFresh(session), ensureFresh(session)]);
    expect(calls).toBe(1);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ refreshed: true, session: { accessToken: 'new-rt', expiresAt: 5500, refreshToken: 'rt' } });
    refuse = true;
    expect(await ensureFresh(session)).toBeUndefined();
    expect(await ensureFresh({ ...session, refreshToken: undefined as unknown as string, expiresAt: 1950 })).toMatchObject({ refreshed: false });
    now = 3000;
    const { refreshToken: _r, ...withoutRefresh } = session;
    expect(await ensureFresh(withoutRefresh)).toBeUndefined();
  });
});

describe('server probe', () => {
  it('reads an SSE answer that stays open only up to the JSON-RPC response, and sends the bearer token', async () => {
    const http = await import('node:http');
    const { probeServer } = await import('../src/server/catalog.ts');
    let auth: string | undefined;
    const server = http.createServer((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"serverInfo":{"name":"s","version":"9"}}}\n\n');
      // never ends: a gateway may keep the stream open
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const result = await probeServer(new URL(`http://127.0.0.1:${port}/mcp/s`), 'tok', 20_000);
      expect(result).toEqual({ status: 'up', serverInfo: { name: 's', version: '9' } });
      expect(auth).toBe('Bearer tok');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
