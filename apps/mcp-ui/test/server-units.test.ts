import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearChunkedCookies } from '../src/server/cookies.ts';
import { createMemoryStore } from '../src/server/session-store.ts';
import { createSessionStore, type Session } from '../src/server/session.ts';
import { createSealer } from '../src/server/seal.ts';
import { gatewayUrlFor, parseCatalog } from '../src/server/catalog.ts';
import { checkServerHealth, findJsonRpcResult, READINESS_META_KEY } from '../src/server/server-health.ts';
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

  it('expire the chunks of the earlier sealed-cookie sessions a browser still sends', () => {
    const present = new Map([['s.0', 'x'], ['s.1', 'x'], ['s.x', 'x'], ['other', 'y']]);
    const headers = clearChunkedCookies('s', { secure: true, maxAgeSeconds: 0 }, present);
    expect(headers.map((h) => h.split('=')[0])).toEqual(['s.0', 's.1']);
    expect(headers.every((h) => h.includes('Max-Age=0') && h.includes('Secure') && h.includes('HttpOnly'))).toBe(true);
  });
});

const request = (cookie = '') => ({ headers: { cookie } }) as import('node:http').IncomingMessage;
const cookieOf = (setCookies: string[]) => setCookies[0]!.split(';')[0]!;
const aSession = (overrides: Partial<Session> = {}): Session => ({ sub: 's', accessToken: 'at-secret', expiresAt: 2000, refreshToken: 'rt-secret', csrf: 'c', createdAt: 0, ...overrides });

describe('server-side sessions', () => {
  const sealer = createSealer('k'.repeat(40));
  const layer = (store = createMemoryStore(), now = () => 1000) => createSessionStore({ store, sealer, secure: false, maxAgeSeconds: 12 * 3600, now });

  it('the cookie is an opaque id; the record in the store is sealed and holds the tokens', async () => {
    const store = createMemoryStore();
    const sessions = layer(store);
    const cookie = cookieOf(await sessions.start(request(), aSession()));
    expect(cookie).toMatch(/^mcpui-session=[A-Za-z0-9_-]{43}$/);
    const read = await sessions.read(request(cookie));
    expect(read?.session).toEqual(aSession());
    const key = `mcp-ui:session:${(await import('node:crypto')).createHash('sha256').update(cookie.split('=')[1]!).digest('base64url')}`;
    const raw = await store.get(key);
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain('rt-secret');
  });

  it('ending a session deletes it for every layer over the same store, and an update cannot bring it back', async () => {
    const store = createMemoryStore();
    const [a, b] = [layer(store), layer(store)];
    const cookie = cookieOf(await a.start(request(), aSession()));
    const current = (await b.read(request(cookie)))!;
    expect(await a.end(request(cookie))).toEqual(['mcpui-session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
    expect(await b.read(request(cookie))).toBeUndefined();
    expect(await b.update(current.id, { ...current.session, accessToken: 'refreshed-late' })).toBe(false);
    expect(await a.read(request(cookie))).toBeUndefined();
  });

  it('signing in again replaces the previous session (a new id; the old one ends)', async () => {
    const sessions = layer();
    const first = cookieOf(await sessions.start(request(), aSession()));
    const second = cookieOf(await sessions.start(request(first), aSession({ sub: 't' })));
    expect(second).not.toBe(first);
    expect(await sessions.read(request(first))).toBeUndefined();
    expect((await sessions.read(request(second)))?.session.sub).toBe('t');
  });

  it('refuses forged, malformed and expired ids', async () => {
    let now = 1000;
    const sessions = layer(createMemoryStore(), () => now);
    const cookie = cookieOf(await sessions.start(request(), aSession()));
    expect(await sessions.read(request(`mcpui-session=${'A'.repeat(43)}`))).toBeUndefined();
    expect(await sessions.read(request('mcpui-session=../../x'))).toBeUndefined();
    now = 12 * 3600 + 1;
    expect(await sessions.read(request(cookie))).toBeUndefined();
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
    expect(() => parseCatalog('{"servers":[{"name":"a","path":"/a","access":7}]}')).toThrow(/servers\[0\]\.access must be a string/);
  });

  it("keeps what opens each server, as the generator words it, for the page to show whom the gateway refuses", () => {
    const text = '{"servers":[{"name":"mcp-hubspot","description":"d","path":"/mcp/mcp-hubspot","access":"the app role HubSpot.Read or the app role HubSpot.Write"}]}';
    expect(parseCatalog(text).servers[0]!.access).toBe('the app role HubSpot.Read or the app role HubSpot.Write');
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
    expect(config.sessionStore).toBeUndefined();
    const shared = loadUiConfig({ ...env, SESSION_STORE_URL: 'rediss://mcp-ui@redis.example:6380', SESSION_STORE_PASSWORD_FILE: join(dir, 'secret'), SESSION_STORE_CA_FILE: join(dir, 'key') });
    expect(shared.sessionStore).toEqual({ url: new URL('rediss://mcp-ui@redis.example:6380'), password: 's3cret', ca: 'k'.repeat(44) });
  });

  it('names what is wrong', () => {
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: undefined })).toThrow(/PUBLIC_URL is required/);
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: 'http://mcp.example.com' })).toThrow(/must be https/);
    expect(() => loadUiConfig({ ...env, PUBLIC_URL: 'https://mcp.example.com/ui' })).toThrow(/without a path/);
    expect(() => loadUiConfig({ ...env, SESSION_KEY_FILE: join(dir, 'short') })).toThrow(/at least 32/);
    expect(() => loadUiConfig({ ...env, OIDC_CLIENT_SECRET_FILE: join(dir, 'missing') })).toThrow(/cannot read .*ENOENT/);
    expect(() => loadUiConfig({ ...env, OIDC_SCOPES: 'profile' })).toThrow(/must include openid/);
    expect(() => loadUiConfig({ ...env, PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadUiConfig({ ...env, SESSION_STORE_URL: 'http://redis:6379' })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => loadUiConfig({ ...env, SESSION_STORE_URL: 'rediss://mcp-ui:hunter2@redis:6380' })).toThrow(/must not carry a password: put it in the file SESSION_STORE_PASSWORD_FILE/);
    expect(() => loadUiConfig({ ...env, SESSION_STORE_URL: 'redis://redis:6379', SESSION_STORE_CA_FILE: join(dir, 'secret') })).toThrow(/rediss:\/\/ \(TLS\) only/);
    expect(() => loadUiConfig({ ...env, SESSION_STORE_PASSWORD_FILE: join(dir, 'secret') })).toThrow(/need SESSION_STORE_URL/);
    expect(() => loadUiConfig({ ...env, SESSION_STORE_URL: 'redis://redis:6379', SESSION_STORE_PASSWORD_FILE: join(dir, 'missing') })).toThrow(/SESSION_STORE_PASSWORD_FILE: cannot read/);
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
  const refresher = async () => {
    const { createSessionRefresher } = await import('../src/server/token-refresh.ts');
    const state = { now: 1000, calls: 0, refuse: false };
    const oidc = {
      refresh: async (rt: string) => {
        state.calls += 1;
        await new Promise((r) => setTimeout(r, 50));
        if (state.refuse) throw new Error('invalid_grant');
        return { accessToken: `new-${rt}`, expiresAt: state.now + 3600 };
      },
    } as unknown as import('../src/server/oidc.ts').OidcClient;
    const store = createMemoryStore();
    const replica = () => {
      const sessions = createSessionStore({ store, sealer: createSealer('k'.repeat(40)), secure: false, maxAgeSeconds: 12 * 3600, now: () => state.now });
      return { sessions, ensureFresh: createSessionRefresher(oidc, sessions, { skewSeconds: 120, now: () => state.now }) };
    };
    return { state, replica };
  };

  it('refreshes inside the window only, once for concurrent requests, saves the result, and gives up when refused', async () => {
    const { state, replica } = await refresher();
    const { sessions, ensureFresh } = replica();
    const cookie = cookieOf(await sessions.start(request(), aSession()));
    const current = (await sessions.read(request(cookie)))!;
    expect(await ensureFresh(current)).toEqual(current.session);
    state.now = 1900;
    const [a, b] = await Promise.all([ensureFresh(current), ensureFresh(current)]);
    expect(state.calls).toBe(1);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ accessToken: 'new-rt-secret', expiresAt: 5500, refreshToken: 'rt-secret' });
    expect((await sessions.read(request(cookie)))?.session.accessToken).toBe('new-rt-secret');
    state.refuse = true;
    state.now = 5450;
    await new Promise((r) => setTimeout(r, 20));
    const refreshed = (await sessions.read(request(cookie)))!;
    expect(await ensureFresh(refreshed)).toBeUndefined();
    const { refreshToken: _r, ...withoutRefresh } = aSession({ expiresAt: 5460 });
    expect(await ensureFresh({ id: refreshed.id, session: withoutRefresh })).toEqual(withoutRefresh);
    state.now = 6000;
    expect(await ensureFresh({ id: refreshed.id, session: withoutRefresh })).toBeUndefined();
  });

  it('two replicas sharing the store refresh once: the one without the lock waits for the saved result', async () => {
    const { state, replica } = await refresher();
    const [a, b] = [replica(), replica()];
    const cookie = cookieOf(await a.sessions.start(request(), aSession()));
    state.now = 1900;
    const [onA, onB] = await Promise.all([
      a.ensureFresh((await a.sessions.read(request(cookie)))!),
      b.ensureFresh((await b.sessions.read(request(cookie)))!),
    ]);
    expect(state.calls).toBe(1);
    expect(onA?.accessToken).toBe('new-rt-secret');
    expect(onB?.accessToken).toBe('new-rt-secret');
  });
});

describe('server health', () => {
  const checkedAt = new Date('2026-12-03T10:00:00Z');
  /** A loopback stand-in for the gateway's MCP route: answers initialize with `answer` (or a bare status). */
  async function withGateway(answer: (res: import('node:http').ServerResponse) => void, check: (url: URL, seen: { auth?: string }) => Promise<void>) {
    const http = await import('node:http');
    const seen: { auth?: string } = {};
    const server = http.createServer((req, res) => {
      seen.auth = req.headers.authorization;
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      await check(new URL(`http://127.0.0.1:${port}/mcp/s`), seen);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
  const sse = (result: unknown) => (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result })}\n\n`);
    // never ends: a gateway may keep the stream open
  };

  it('reads an SSE answer that stays open only up to the JSON-RPC response, and sends the bearer token', async () => {
    await withGateway(sse({ serverInfo: { name: 's', version: '9' } }), async (url, seen) => {
      const health = await checkServerHealth({ name: 's' }, url, 'tok', 20_000, () => checkedAt);
      expect(health).toEqual({ state: 'ready', message: 's is ready.', serverInfo: { name: 's', version: '9' }, checkedAt: checkedAt.toISOString() });
      expect(seen.auth).toBe('Bearer tok');
    });
  });

  it('tells a server that answers but is not ready apart, with the reason it gives', async () => {
    const result = { serverInfo: { name: 'mcp-mssql', version: '0.1.0' }, _meta: { [READINESS_META_KEY]: { ready: false, reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' } } };
    await withGateway(sse(result), async (url) => {
      const health = await checkServerHealth({ name: 'mcp-mssql' }, url, 'tok', 20_000);
      expect(health).toMatchObject({ state: 'not_ready', reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' });
      expect(health.message).toBe('mcp-mssql answers but is not ready: no SQL Server is configured (MSSQL_SERVER is empty).');
    });
  });

  it('says in words what a gateway error means, with the status as the detail', async () => {
    for (const [status, state, message] of [
      [502, 'not_answering', 's is not answering (the gateway got no answer).'],
      [404, 'not_answering', 's is not answering (the gateway answered HTTP 404).'],
      [403, 'refused', 'The gateway refused you access for s.'],
    ] as const) {
      await withGateway((res) => res.writeHead(status).end(), async (url) => {
        expect(await checkServerHealth({ name: 's' }, url, 'tok', 20_000)).toMatchObject({ state, message, detail: `HTTP ${status}` });
      });
    }
    // The server's access rules refuse with 403: the catalog says what would open it.
    await withGateway((res) => res.writeHead(403).end('authorization failed'), async (url) => {
      expect(await checkServerHealth({ name: 's', access: 'the app role SQL.Read' }, url, 'tok', 20_000)).toMatchObject({ state: 'refused', message: 'The gateway refused you access for s. It opens with the app role SQL.Read.' });
    });
    const net = await import('node:net');
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as import('node:net').AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = await checkServerHealth({ name: 's' }, new URL(`http://127.0.0.1:${port}/mcp/s`), 'tok', 20_000);
    expect(closed).toMatchObject({ state: 'not_answering', message: 's is not answering (the gateway could not be reached).', detail: 'ECONNREFUSED' });
  });
});
