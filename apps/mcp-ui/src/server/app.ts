import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger, createRegistry, SecretValues, serveMetrics, type Logger, type Registry } from '@mcp-gateway/telemetry';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { handleCatalog, handleMcp, handleMe } from './api-routes.ts';
import { handleCallback, handleLogin, handleLogout } from './auth-routes.ts';
import { createCatalogSource } from './catalog.ts';
import { cookiesAreSecure, type UiConfig } from './config.ts';
import type { UiContext } from './context.ts';
import { applySecurityHeaders, securityHeaders, sendJson, sendMessagePage } from './http.ts';
import { describeError } from './errors.ts';
import { createUiMetrics, routeOf } from './metrics.ts';
import { createOidcClient, type OidcClient } from './oidc.ts';
import { createSealer } from './seal.ts';
import { createSessionStore } from './session.ts';
import { createRecordStore, SessionStoreUnavailable, type RecordStore } from './session-store.ts';
import { sendStaticFile } from './static-files.ts';
import { createSessionRefresher } from './token-refresh.ts';

export type { UiConfig } from './config.ts';
export { loadUiConfig } from './config.ts';

/** A started UI server. */
export interface RunningUiServer {
  url: URL;
  server: Server;
  /** Where /metrics is served: METRICS_PORT, when set (never the public port). */
  metricsUrl: URL | undefined;
  close(): Promise<void>;
}

/** The UI server, not yet listening. */
export interface UiServer {
  server: Server;
  /** Listens on config.port/config.host unless told otherwise (tests: port 0, host 127.0.0.1). */
  listen(port?: number, host?: string): Promise<RunningUiServer>;
}

/** Optional collaborators, for tests. */
export interface UiServerDeps {
  log?: Logger;
  oidc?: OidcClient;
  store?: RecordStore;
}

/** Behind the gateway /ui is rewritten to /; run alone (dev) the page's own /ui/... paths are accepted too. */
export function stripUiPrefix(pathname: string): string {
  if (pathname === '/ui') return '/';
  return pathname.startsWith('/ui/') ? pathname.slice(3) : pathname;
}

async function route(ctx: UiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://ui.invalid');
  const path = stripUiPrefix(url.pathname);
  const method = req.method ?? 'GET';
  const isRead = method === 'GET' || method === 'HEAD';

  if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (path === '/readyz') return handleReady(ctx, res);
  if (path === '/auth/login' && isRead) return handleLogin(ctx, req, res, url);
  if (path === '/auth/callback' && isRead) return handleCallback(ctx, req, res, url);
  if (path === '/auth/logout') {
    if (method === 'POST') return handleLogout(ctx, req, res);
    res.setHeader('allow', 'POST');
    return sendMessagePage(res, 405, 'Sign out from the page', 'Use the Sign out button of the page.');
  }
  if (path === '/api/me' && isRead) return handleMe(ctx, req, res);
  if (path === '/api/catalog' && isRead) return handleCatalog(ctx, req, res);
  const one = /^\/api\/catalog\/([a-z0-9-]{1,63})$/.exec(path);
  if (one?.[1] && isRead) return handleCatalog(ctx, req, res, one[1]);
  const mcp = /^\/api\/mcp\/([a-z0-9-]{1,63})$/.exec(path);
  if (mcp?.[1]) return handleMcp(ctx, req, res, mcp[1]);
  if (path.startsWith('/api/')) return sendJson(res, 404, { error: 'not_found' });
  if (isRead) {
    const file = path === '/' ? '/index.html' : path;
    if (await sendStaticFile(res, ctx.config.distDir, file, method)) return;
  }
  sendJson(res, 404, { error: 'not_found' });
}

async function handleReady(ctx: UiContext, res: ServerResponse): Promise<void> {
  try {
    await ctx.catalog();
    await access(join(ctx.config.distDir, 'index.html'));
    await ctx.sessions.ping();
  } catch (error) {
    sendJson(res, 503, { status: 'not ready', reason: describeError(error).message });
    return;
  }
  sendJson(res, 200, { status: 'ready' });
}

/** Logs a failing store at most once a minute: a Redis outage must not flood the log with reconnect errors. */
function throttled(log: Logger, message: string): (error: Error) => void {
  let last = 0;
  return (error) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    log.warn(describeError(error), message);
  };
}

/** The secrets the configuration holds, to scrub from every line of the UI's log. */
export function uiSecrets(config: UiConfig): SecretValues {
  const secrets = new SecretValues();
  for (const value of [config.clientSecret, config.sessionKey, config.sessionStore?.password]) if (value) secrets.add(value);
  return secrets;
}

function listenOn(server: Server, port: number, host: string): Promise<URL> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(new URL(`http://${shownHost}:${address.port}/`));
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

/** The METRICS_PORT listener: /metrics and nothing else. */
function metricsOnly(registry: Registry): Server {
  return createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) void serveMetrics(res, registry);
    else sendJson(res, 404, { error: 'not_found' });
  });
}

/** Builds the backend-for-frontend: sign-in at /auth, the page and its API at / (the gateway's /ui). */
export function createUiServer(config: UiConfig, deps: UiServerDeps = {}): UiServer {
  const log = deps.log ?? createLogger({ service: 'mcp-ui', secrets: uiSecrets(config) });
  const registry = createRegistry();
  const metrics = createUiMetrics(registry);
  const oidc = deps.oidc ?? createOidcClient(config);
  const store = deps.store ?? createRecordStore(config.sessionStore, throttled(log, 'session store unavailable'));
  if (store.kind === 'memory') log.warn('sessions are kept in this process (SESSION_STORE_URL is unset): run one replica only');
  const sessions = createSessionStore({ store, sealer: createSealer(config.sessionKey), secure: cookiesAreSecure(config), maxAgeSeconds: config.sessionMaxAgeSeconds, now: config.now });
  const ctx: UiContext = {
    config,
    log,
    oidc,
    sessions,
    ensureFresh: createSessionRefresher(oidc, sessions, {
      skewSeconds: config.refreshSkewSeconds,
      now: config.now,
      onError: (error) => log.warn(describeError(error), 'token refresh failed; the user signs in again'),
    }),
    catalog: createCatalogSource(config.catalogFile),
  };
  const headers = securityHeaders(config.issuer.origin);
  const server = createServer((req, res) => {
    const started = performance.now();
    const path = stripUiPrefix((req.url ?? '/').split('?')[0]!);
    res.once('close', () => metrics.observe(routeOf(path), res.statusCode, (performance.now() - started) / 1000));
    applySecurityHeaders(res, headers);
    route(ctx, req, res).catch((error: unknown) => {
      log.error({ path: req.url?.split('?')[0], ...describeError(error) }, 'request failed');
      if (res.headersSent) res.destroy();
      else if (error instanceof SessionStoreUnavailable) sendJson(res, 503, { error: 'session_store_unavailable', message: 'Sessions cannot be read right now. Try again in a moment.' });
      else sendJson(res, 500, { error: 'internal_error' });
    });
  });
  return {
    server,
    async listen(port = config.port, host = config.host) {
      const url = await listenOn(server, port, host);
      const metricsServer = config.metricsPort === undefined ? undefined : metricsOnly(registry);
      const metricsUrl = metricsServer && new URL('/metrics', await listenOn(metricsServer, config.metricsPort!, host).catch((error: unknown) => {
        server.close();
        throw error;
      }));
      return {
        url,
        server,
        metricsUrl,
        close: async () => {
          await Promise.all([server, metricsServer].map((listening) => listening && stop(listening)));
          await sessions.close();
        },
      };
    },
  };
}
