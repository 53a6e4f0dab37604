/**
 * The local gateway: a TEST HARNESS that serves the routing of the rendered manifests on loopback, standing in
 * for agentgateway v1.4.1 (which cannot run here). It matches HTTPRoute paths, applies URLRewrite, enforces the
 * AgentgatewayPolicy traffic policies of each route (JWT with the MCP sign-in extension, authorization, the local
 * rate limit and body limit, request transformation, conditional direct responses), applies the backends' MCP authorization (refused calls, filtered
 * lists), forwards MCP routes to their AgentgatewayBackend's single target (host:port + target path) and writes
 * the access log. It forwards MCP requests as HTTP; it does not reimplement agentgateway's MCP session
 * multiplexing. Never deployed. README.md beside this file lists the v1.4.1 source each step follows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWTVerifyGetKey } from 'jose';
import { accessLogLine } from './access-log.ts';
import { authorize, transform } from './authorization.ts';
import { bufferBody } from './body.ts';
import { directResponse } from './cel.ts';
import { checkFraming } from './framing.ts';
import { bodyLimit, rateLimit } from './limits.ts';
import { matchRoute, type GatewayModel, type Upstream } from './manifests.ts';
import { authenticate } from './mcp-auth.ts';
import { listFilter, mcpAuthorization } from './mcp-authorization.ts';
import { type Answer, type Exchange, type GatewayContext, type Step, errorAnswer, forwardedScheme } from './pipeline.ts';
import { createUpstreamAgent, forward } from './upstream.ts';

export interface LocalGatewayOptions {
  model: GatewayModel;
  /** Where an upstream runs on this machine; undefined answers 503. */
  resolve(upstream: Upstream): { host: string; port: number } | undefined;
  /** The key set JWTs are verified with (the local OpenID provider's JWKS). */
  keys: JWTVerifyGetKey;
  /** The Entra stand-in's origin, standing in for https://login.microsoftonline.com. */
  entraOrigin?: URL;
  /**
   * The `issuer` of the bridged authorization-server metadata. `'entra'` (default) is v1.4.1: Entra's own issuer
   * is kept while `authorization_servers` names the gateway, which clients that check RFC 8414 §3.3 refuse
   * (agentgateway#3080). `'gateway'` is the fix agentgateway main carries since #3089 (PR #3327 builds on it):
   * the issuer is the gateway URL the metadata was fetched for.
   */
  bridgedIssuer?: 'entra' | 'gateway';
  /** The clock tokens are checked against (tests move it past an expiry). */
  now?: () => Date;
  /** Where the details of a failure go (default: nowhere); answers never carry them. */
  log?: (line: string) => void;
  /** Where access log lines go (default: nowhere): one JSON object per request, as the Gateway's access log. */
  accessLog?: (line: string) => void;
  port?: number;
}

export interface LocalGateway {
  url: URL;
  /** Switches the bridged metadata's issuer (see `bridgedIssuer`) while running. */
  setBridgedIssuer(issuer: 'entra' | 'gateway'): void;
  close(): Promise<void>;
}

/**
 * The request steps, in v1.4.1's order (`proxy/httpproxy.rs`: the body buffered for the route's rules, then
 * `apply_request_policies`: JWT, authorization, local rate limit, buffer, transformation, direct response; then the
 * MCP backend's rules);
 * the upstream call follows when none of them answers.
 */
const REQUEST_STEPS: [Step, string][] = [
  [checkFraming, 'Internal'],
  [routeStep, 'NotFound'],
  [bufferBody, ''],
  [authenticate, 'JwtAuth'],
  [authorize, 'Authorization'],
  [rateLimit, 'RateLimit'],
  [bodyLimit, 'DirectResponse'],
  [transform, ''],
  [directResponse, 'DirectResponse'],
  [mcpAuthorization, 'MCP'],
];

function routeStep(exchange: Exchange, gateway: GatewayContext): Answer | undefined {
  const routed = matchRoute(gateway.model, exchange.url.pathname);
  if (!routed) return errorAnswer(404, 'not_found', 'no route matches this path');
  exchange.route = routed;
  return undefined;
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const gateway: GatewayContext = {
    model: options.model,
    resolve: options.resolve,
    keys: options.keys,
    ...(options.entraOrigin ? { entraOrigin: options.entraOrigin } : {}),
    bridgedIssuer: options.bridgedIssuer ?? 'entra',
    now: options.now ?? (() => new Date()),
    log: options.log ?? (() => undefined),
    accessLog: options.accessLog ?? (() => undefined),
    rateLimiters: new Map(),
  };
  const agent = createUpstreamAgent();
  const server = http.createServer((req, res) => {
    handle(gateway, agent, req, res).catch((error: unknown) => {
      gateway.log(`gateway failure on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) send(res, errorAnswer(502, 'bad_gateway', 'the gateway could not complete this request'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    setBridgedIssuer: (issuer) => {
      gateway.bridgedIssuer = issuer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

async function handle(gateway: GatewayContext, agent: http.Agent, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const exchange = newExchange(req);
  res.once('close', () => {
    const line = accessLogLine(exchange, res.statusCode, gateway);
    if (line) gateway.accessLog(line);
  });
  for (const [step, reason] of REQUEST_STEPS) {
    const answer = await step(exchange, gateway);
    if (answer) {
      // The MCP sign-in extension answers its discovery paths itself: a direct response, not a JWT failure.
      exchange.reason = answer.reason ?? (step === authenticate && answer.status !== 401 ? 'DirectResponse' : reason);
      return send(res, answer);
    }
  }
  const answer = await forward(exchange, res, gateway, agent, listFilter(exchange));
  if (answer) {
    exchange.reason = answer.status === 503 ? 'NoHealthyBackend' : 'UpstreamFailure';
    send(res, answer);
  }
}

function newExchange(req: http.IncomingMessage): Exchange {
  // The Host is checked by the first step; until then a placeholder keeps URL parsing total.
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const host = /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host ?? '') ? req.headers.host! : 'gateway.invalid';
  const externalUrl = new URL(`${url.pathname}${url.search}`, `${forwardedScheme(req.headers) ?? 'http'}://${host}`);
  return { req, url, externalUrl, started: performance.now() };
}

function send(res: http.ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  const body = answer.body ?? '';
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
