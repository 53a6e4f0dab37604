/**
 * The local gateway: a TEST HARNESS that serves the routing of the rendered manifests on loopback, standing in
 * for agentgateway (which cannot run here). It matches HTTPRoute paths, applies URLRewrite, forwards MCP routes
 * to their AgentgatewayBackend's single target (host:port + target path, as agentgateway does) and enforces the
 * AgentgatewayPolicy JWT rule (issuer and audiences from the policy, keys from the given key set).
 * It forwards MCP requests as HTTP; it does not reimplement agentgateway's MCP session multiplexing.
 * Never deployed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { matchRoute, type GatewayModel, type JwtRule, type Upstream } from './manifests.ts';

export interface LocalGatewayOptions {
  model: GatewayModel;
  /** Where an upstream runs on this machine; undefined answers 503. */
  resolve(upstream: Upstream): { host: string; port: number } | undefined;
  /** The key set JWTs are verified with (the local OpenID provider's JWKS). */
  keys: JWTVerifyGetKey;
  port?: number;
}

export interface LocalGateway {
  url: URL;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const server = http.createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 502, { error: 'bad_gateway', message: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: LocalGatewayOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  const routed = matchRoute(options.model, url.pathname);
  if (!routed) return sendJson(res, 404, { error: 'not_found', message: `no route for ${url.pathname}` });
  const { match, upstreamPath } = routed;

  if (match.jwt) {
    const denial = await checkJwt(match.jwt, req.headers.authorization, options.keys);
    if (denial) {
      res.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${denial}"`);
      return sendJson(res, 401, { error: 'unauthorized', message: denial });
    }
  }

  const target = options.resolve(match.upstream);
  if (!target) return sendJson(res, 503, { error: 'unavailable', message: `no local process for ${describe(match.upstream)}` });

  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  // agentgateway removes a validated JWT before forwarding, and speaks to a static MCP target by its host name.
  if (match.jwt) delete headers.authorization;
  if (match.upstream.kind === 'mcp') headers.host = `${match.upstream.host}:${match.upstream.port}`;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';

  const path = (match.upstream.kind === 'mcp' ? match.upstream.path : upstreamPath) + url.search;
  await forward(req, res, { ...target, path, headers });
}

function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { host: string; port: number; path: string; headers: http.OutgoingHttpHeaders },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = http.request({ ...target, method: req.method }, (answer) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      res.flushHeaders();
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    // The client going away ends the upstream call too (an MCP client's cancel or a closed stream).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

/** Returns why a request is denied, or undefined when the rule lets it through. */
async function checkJwt(rule: JwtRule, authorization: string | undefined, keys: JWTVerifyGetKey): Promise<string | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return rule.mode === 'Strict' ? 'missing bearer token' : undefined;
  try {
    await jwtVerify(token, keys, { issuer: rule.issuer, audience: rule.audiences });
    return undefined;
  } catch (error) {
    return rule.mode === 'Permissive' ? undefined : `token rejected: ${(error as Error).message}`;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function describe(upstream: Upstream): string {
  return upstream.kind === 'mcp' ? `${upstream.backend} (${upstream.host}:${upstream.port})` : `Service ${upstream.service}:${upstream.port}`;
}
