/**
 * startMcpApp: the node:http server every MCP app runs on. Routes /healthz, /readyz, /metrics (or serves it on
 * METRICS_PORT alone) and the MCP path; applies the edge checks; logs one JSON line and records metrics per MCP
 * message; drains in-flight calls on close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { batchRefusal } from './batches.ts';
import { BodyBudgetError, BodyTooLargeError, discardBody, readBody } from './body.ts';
import { callerOf } from './caller.ts';
import { resolveRuntimeConfig } from './config.ts';
import { bodyTooLarge, checkMcpRequestHeaders, tooBusy, type EdgeRefusal } from './edge.ts';
import type { McpEndpoint } from './endpoint.ts';
import { sendJson } from './http-answer.ts';
import { jsonRpcErrorBody, JSONRPC_INTERNAL_ERROR, JSONRPC_INVALID_REQUEST, JSONRPC_PARSE_ERROR, JSONRPC_SERVER_ERROR } from './jsonrpc-errors.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-shape.ts';
import { labelsOf } from './labels.ts';
import { InflightTracker } from './inflight.ts';
import { METRICS_PATH, PROBE_PATHS, serveProbe } from './probes.ts';
import { createReadiness, reportReadinessOnInitialize, type AppReadiness } from './readiness.ts';
import { RequestMetrics, type RequestOutcome } from './metrics.ts';
import { createEndpoint, inspectApp } from './select-endpoint.ts';
import { checkToolLock, toolLockLogFields } from './tool-lock-check.ts';
import { WorkLimit, type WorkTicket } from './work-limit.ts';
import { createLogger, createRegistry, errorFields, serveMetrics, type Logger, type Registry } from '@mcp-gateway/telemetry';
import type { McpAppDefinition, RunningMcpApp, RuntimeConfig } from './types.ts';

/** Options for tests and embedding: a log sink instead of stdout. */
export interface StartOptions {
  /** Receives each log line (newline included) instead of stdout and stderr. */
  logSink?: (line: string) => void;
  /** SSE keep-alive comment interval for calls that stay silent, in ms (default 15000, 0 disables). */
  sseKeepAliveMs?: number;
}

function sendRefusal(res: ServerResponse, refusal: EdgeRefusal): void {
  sendJson(res, refusal.status, jsonRpcErrorBody(refusal.code, refusal.message), refusal.headers);
}

interface AppContext {
  def: McpAppDefinition;
  readiness: AppReadiness;
  config: RuntimeConfig;
  endpoint: McpEndpoint;
  logger: Logger;
  metrics: RequestMetrics;
  registry: Registry;
  toolNames: ReadonlySet<string>;
  inflight: InflightTracker;
  work: WorkLimit;
  closing: boolean;
}

async function serveMcp(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  let bodyHandled = false;
  const refuse = (refusal: EdgeRefusal): void => {
    // A refusal sent before the body was read drops the rest of it, so the client can read the answer.
    if (!bodyHandled) discardBody(req);
    ctx.metrics.requestRejected(refusal.status, refusal.reason);
    sendRefusal(res, refusal);
    ctx.logger[refusal.status >= 500 ? 'error' : refusal.reason === 'method' ? 'info' : 'warn'](
      { status: refusal.status, reason: refusal.reason, duration_ms: Math.round((performance.now() - started) * 1000) / 1000 },
      'mcp request refused',
    );
  };
  if (ctx.closing) {
    return refuse({ status: 503, code: JSONRPC_SERVER_ERROR, message: 'Service Unavailable: shutting down', reason: 'shutdown', headers: { connection: 'close' } });
  }
  const headerRefusal = checkMcpRequestHeaders(req, ctx.config);
  if (headerRefusal !== undefined) return refuse(headerRefusal);
  const ticket = ctx.work.admit();
  if (ticket === undefined) return refuse(tooBusy('inflight_requests'));
  try {
    await serveAdmitted(ctx, req, res, ticket, refuse, () => (bodyHandled = true), started);
  } finally {
    ticket.release();
  }
}

/** The request holds a ticket: read its body within the byte budget, check its shape, hand it to the endpoint. */
async function serveAdmitted(
  ctx: AppContext,
  req: IncomingMessage,
  res: ServerResponse,
  ticket: WorkTicket,
  refuse: (refusal: EdgeRefusal) => void,
  bodyRead: () => void,
  started: number,
): Promise<void> {
  // A declared length is reserved whole, before any byte is buffered; a chunked body chunk by chunk.
  const declared = Number(req.headers['content-length']);
  const reserved = Number.isFinite(declared) && declared >= 0;
  if (reserved && !ticket.addBytes(declared)) return refuse(tooBusy('inflight_bytes'));
  let raw: Buffer;
  try {
    raw = await readBody(req, ctx.config.maxBodyBytes, reserved ? undefined : ticket.addBytes);
  } catch (error) {
    bodyRead();
    if (error instanceof BodyTooLargeError) return refuse(bodyTooLarge(ctx.config.maxBodyBytes));
    if (error instanceof BodyBudgetError) return refuse(tooBusy('inflight_bytes'));
    return; // the client went away while sending
  }
  bodyRead();
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse({ status: 400, code: JSONRPC_PARSE_ERROR, message: 'Parse error: body is not valid JSON', reason: 'parse' });
  }
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
    return refuse({ status: 400, code: JSONRPC_INVALID_REQUEST, message: `Invalid Request: the body nests deeper than ${MAX_JSON_DEPTH} levels`, reason: 'depth' });
  }
  if (Array.isArray(body)) {
    const protocolVersion = req.headers['mcp-protocol-version'];
    const refusal = batchRefusal(Array.isArray(protocolVersion) ? protocolVersion[0] : protocolVersion);
    if (refusal !== undefined) return refuse({ status: 400, code: JSONRPC_INVALID_REQUEST, message: refusal, reason: 'batch' });
    if (body.length > 1 && !ticket.addRequests(body.length - 1)) return refuse(tooBusy('inflight_requests'));
  }

  const labels = labelsOf(body, ctx.toolNames);
  ctx.inflight.enter();
  ctx.metrics.requestStarted();
  let outcome: RequestOutcome = 'internal_error';
  try {
    outcome = await ctx.endpoint.handle({ req, res, body });
  } catch (error) {
    ctx.logger.error({ method: labels.method, error: errorFields(error).message }, 'mcp handler failed');
    if (!res.headersSent) sendJson(res, 500, jsonRpcErrorBody(JSONRPC_INTERNAL_ERROR, 'Internal error', labels.id ?? null));
    else res.end();
  } finally {
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.requestFinished(labels.method, labels.tool, outcome, seconds);
    ctx.inflight.leave();
    if (ctx.logger.isLevelEnabled('info')) {
      ctx.logger[outcome === 'internal_error' ? 'error' : 'info'](
        {
          method: labels.method,
          tool: labels.tool === '' ? undefined : labels.tool,
          caller: callerOf(req),
          status: res.statusCode,
          outcome,
          duration_ms: Math.round(seconds * 1e6) / 1000,
        },
        'mcp request',
      );
    }
  }
}

function route(ctx: AppContext, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (ctx.closing) res.setHeader('connection', 'close');
  if (path === ctx.config.mcpPath) {
    serveMcp(ctx, req, res).catch((error: unknown) => {
      ctx.logger.error({ error: errorFields(error).message }, 'mcp request crashed');
      if (!res.headersSent) sendJson(res, 500, jsonRpcErrorBody(JSONRPC_INTERNAL_ERROR, 'Internal error'));
    });
    return;
  }
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (PROBE_PATHS.has(path) && read) {
    serveProbe(ctx, path, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, '{"status":"error"}');
    });
    return;
  }
  if (path === METRICS_PATH && read && ctx.config.metricsPort === undefined) {
    void serveMetrics(res, ctx.registry);
    return;
  }
  notFound(res, path);
}

function notFound(res: ServerResponse, path: string): void {
  sendJson(res, 404, jsonRpcErrorBody(JSONRPC_SERVER_ERROR, `Not found: ${path.slice(0, 200)}`));
}

/** The listener of METRICS_PORT: /metrics and nothing else (the network policy admits the scraper to it alone). */
function metricsOnly(registry: Registry): Server {
  return createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === METRICS_PATH && (req.method === 'GET' || req.method === 'HEAD')) void serveMetrics(res, registry);
    else notFound(res, path);
  });
}

/** `http://host:port` of a listening address (a wildcard address shown as loopback). */
function origin(address: AddressInfo): string {
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const displayHost = urlHost === '0.0.0.0' || urlHost === '[::]' ? '127.0.0.1' : urlHost;
  return `http://${displayHost}:${address.port}`;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the HTTP server (tests: pass { port: 0, host: '127.0.0.1' }). No signal handlers. */
export async function startMcpApp(
  def: McpAppDefinition,
  config?: Partial<RuntimeConfig>,
  options: StartOptions = {},
): Promise<RunningMcpApp> {
  const resolved = resolveRuntimeConfig(config);
  const logger = createLogger({ service: def.name, level: resolved.logLevel, ...(options.logSink !== undefined && { write: options.logSink }) });
  const registry = createRegistry();
  const readiness = createReadiness(def, (error) => logger.warn({ error: error.message }, 'readiness check failed'));
  const served: McpAppDefinition = {
    ...def,
    register(server) {
      def.register(server);
      reportReadinessOnInitialize(server, readiness);
    },
  };
  const surface = await inspectApp(served);
  const lockCheck = resolved.toolLockFile === undefined ? undefined : checkToolLock(resolved.toolLockFile, surface.tools);
  def.metrics?.(registry);
  const ctx: AppContext = {
    def: served,
    readiness,
    config: resolved,
    endpoint: await createEndpoint(served, resolved, logger, surface, options.sseKeepAliveMs),
    logger,
    metrics: new RequestMetrics(registry),
    registry,
    toolNames: surface.toolNames,
    inflight: new InflightTracker(),
    work: new WorkLimit(resolved.maxInflightRequests, resolved.maxInflightBytes),
    closing: false,
  };
  // requestTimeout bounds receiving a request (headers and body), not the response: long calls and
  // their streams are unaffected, slow-sending clients are cut after 60 s.
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000, headersTimeout: 30_000 }, (req, res) => route(ctx, req, res));
  const address = await listen(server, resolved.port, resolved.host);
  const metricsServer = resolved.metricsPort === undefined ? undefined : metricsOnly(registry);
  let metricsAddress: AddressInfo;
  try {
    metricsAddress = metricsServer === undefined ? address : await listen(metricsServer, resolved.metricsPort!, resolved.host);
  } catch (error) {
    server.close();
    throw error;
  }
  const url = new URL(`${origin(address)}${resolved.mcpPath}`);
  const metricsUrl = new URL(`${origin(metricsAddress)}${METRICS_PATH}`);
  logger.info({ port: address.port, host: resolved.host, path: resolved.mcpPath, metrics_port: metricsAddress.port }, 'listening');
  if (lockCheck !== undefined) {
    ctx.metrics.toolLockChecked(lockCheck.mismatches);
    if (lockCheck.mismatches === 0) logger.info(toolLockLogFields(lockCheck), 'tool surface matches its lock');
    else logger.warn(toolLockLogFields(lockCheck), 'tool surface differs from its lock');
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      ctx.closing = true;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      logger.info({ inflight: ctx.inflight.size, timeout_ms: resolved.shutdownTimeoutMs }, 'shutting down');
      const drained = await ctx.inflight.drained(resolved.shutdownTimeoutMs);
      if (!drained) logger.warn({ inflight: ctx.inflight.size }, 'shutdown timeout: aborting calls still running');
      await ctx.endpoint.close();
      server.closeAllConnections();
      await serverClosed;
      if (metricsServer !== undefined) {
        const metricsClosed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await metricsClosed;
      }
      if (def.close !== undefined) await def.close();
      logger.info({ drained }, 'stopped');
    })();
    return closed;
  };
  return { url, port: address.port, metricsUrl, close };
}
