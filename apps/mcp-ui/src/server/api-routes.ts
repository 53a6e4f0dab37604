import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { gatewayUrlFor, type CatalogEntry } from './catalog.ts';
import { checkServerHealth } from './server-health.ts';
import type { UiContext } from './context.ts';
import { passesCsrfCheck } from './csrf.ts';
import { addCookies, sendJson } from './http.ts';
import { describeError } from './errors.ts';
import { proxyMcpRequest } from './mcp-proxy.ts';
import type { CurrentSession, Session } from './session.ts';

/** Largest MCP request body passed through (the servers' own limit is MCP_MAX_BODY_BYTES, 1 MiB by default). */
export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The signed-in session with a valid access token (refreshed in the session store when needed). Answers 401 itself,
 * and ends a session that cannot be kept alive, when there is none.
 */
async function requireSession(ctx: UiContext, req: IncomingMessage, res: ServerResponse, current: CurrentSession | undefined): Promise<Session | undefined> {
  const session = current ? await ctx.ensureFresh(current) : undefined;
  if (!session) {
    if (current) addCookies(res, await ctx.sessions.end(req));
    sendJson(res, 401, { signedIn: false, error: current ? 'session_expired' : 'not_signed_in', loginUrl: '/auth/login' });
    return undefined;
  }
  return session;
}

/** Answers 403 unless a signed-in request carries the session's CSRF token from our own origin (no session: 401 follows). */
function checkCsrf(ctx: UiContext, req: IncomingMessage, res: ServerResponse, current: CurrentSession | undefined): boolean {
  if (!current || passesCsrfCheck(req, ctx.config.publicUrl.origin, current.session.csrf)) return true;
  sendJson(res, 403, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'CSRF check failed: missing or wrong X-CSRF-Token, or another origin' } });
  return false;
}

/** GET /api/me: who is signed in (never a token) and the CSRF token the page sends back. */
export async function handleMe(ctx: UiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = await requireSession(ctx, req, res, await ctx.sessions.read(req));
  if (!session) return;
  sendJson(res, 200, {
    signedIn: true,
    name: session.name ?? session.email ?? session.sub,
    ...(session.email ? { email: session.email } : {}),
    // Keys what the page keeps in this browser per person (its history); not a secret, not the subject itself.
    userKey: createHash('sha256').update(`mcp-ui-user:${session.sub}`).digest('hex').slice(0, 24),
    csrfToken: session.csrf,
  });
}

/**
 * GET /api/catalog: the servers of CATALOG_FILE with each one's health for this user (ready, not ready and why, not
 * answering, refused), checked through the gateway with the user's token. GET /api/catalog/<name>: one server.
 */
export async function handleCatalog(ctx: UiContext, req: IncomingMessage, res: ServerResponse, only?: string): Promise<void> {
  // The probes act with the user's token: like the pass-through, only for our own page.
  const current = await ctx.sessions.read(req);
  if (!checkCsrf(ctx, req, res, current)) return;
  const session = await requireSession(ctx, req, res, current);
  if (!session) return;
  let servers;
  try {
    servers = (await ctx.catalog()).servers;
  } catch (error) {
    ctx.log.error(describeError(error), 'catalog unreadable');
    sendJson(res, 500, { error: 'catalog_unreadable', message: 'The server catalog could not be read.' });
    return;
  }
  const health = (entry: CatalogEntry) => checkServerHealth(entry, gatewayUrlFor(ctx.config.gatewayUrl, entry), session.accessToken);
  if (only !== undefined) {
    const entry = servers.find((server) => server.name === only);
    if (!entry) return sendJson(res, 404, { error: 'not_found', message: `No server named ${only} in the catalog.` });
    return sendJson(res, 200, { ...entry, health: await health(entry) });
  }
  sendJson(res, 200, { servers: await Promise.all(servers.map(async (entry) => ({ ...entry, health: await health(entry) }))) });
}

/** POST/GET/DELETE /api/mcp/<name>: the MCP pass-through to GATEWAY_URL + the catalog path, with the user's token. */
export async function handleMcp(ctx: UiContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  if (!['POST', 'GET', 'DELETE'].includes(req.method ?? '')) {
    res.setHeader('allow', 'POST, GET, DELETE');
    sendJson(res, 405, { error: 'method_not_allowed' });
    return;
  }
  const current = await ctx.sessions.read(req);
  if (!checkCsrf(ctx, req, res, current)) return;
  const fresh = await requireSession(ctx, req, res, current);
  if (!fresh) return;
  let entry;
  try {
    entry = (await ctx.catalog()).servers.find((server) => server.name === name);
  } catch (error) {
    ctx.log.error(describeError(error), 'catalog unreadable');
    sendJson(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'The server catalog could not be read' } });
    return;
  }
  if (!entry) {
    sendJson(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32000, message: `No server named ${name} in the catalog` } });
    return;
  }
  proxyMcpRequest(req, res, gatewayUrlFor(ctx.config.gatewayUrl, entry), fresh.accessToken, {
    maxBodyBytes: MAX_MCP_BODY_BYTES,
    onError: (error) => ctx.log.warn({ server: name, ...describeError(error) }, 'gateway request failed'),
  });
}
