/**
 * Stands in for the agentgateway data plane (Gateway agentgateway-proxy :8080) as far as the UI sees it:
 *   /mcp/<name>  the MCP routes, behind the JWT policy azure-mcp-authn-policy: a request needs a bearer JWT that
 *                verifies against the provider's JWKS (jose) with the expected issuer and audience, else 401;
 *                then it is streamed to the server's /mcp endpoint (no buffering, no timeout; a closed client
 *                connection closes the upstream one);
 *   /ui          rewritten to / and sent to mcp-ui-service (HTTPRoute URLRewrite ReplacePrefixMatch);
 *   /auth        sent to mcp-ui-service as is.
 * It records the bearer tokens it accepted, so tests can see which token reached the MCP route.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** What the JWT policy checks (azure-mcp-authn-policy: issuer, audiences, the provider's JWKS). */
export interface JwtPolicy {
  issuer: string;
  jwksUri: URL;
  audience: string;
}

export interface GatewayStandInOptions {
  /** MCP endpoints by server name, e.g. mcp-example -> http://127.0.0.1:1234/mcp */
  backends: Map<string, URL>;
}

export interface GatewayStandIn {
  url: URL;
  /** Sets the JWT policy (the provider starts after the gateway, as its redirect URIs name the gateway). */
  setJwtPolicy(policy: JwtPolicy): void;
  /** Where /ui and /auth go; set once the UI server runs (its PUBLIC_URL is this gateway). */
  setUiTarget(url: URL): void;
  /** Bearer tokens accepted on MCP routes, in order. */
  acceptedTokens: string[];
  /** MCP requests refused by the JWT check. */
  rejectedCount(): number;
  close(): Promise<void>;
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL, headers: http.OutgoingHttpHeaders): void {
  const upstream = http.request(target, { method: req.method, headers });
  let done = false;
  upstream.on('response', (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.rawHeaders);
    res.flushHeaders();
    upstreamRes.pipe(res);
    upstreamRes.on('end', () => {
      done = true;
    });
  });
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream unreachable');
    } else res.destroy();
  });
  res.on('close', () => {
    if (!done) upstream.destroy();
  });
  req.pipe(upstream);
}

export async function startGatewayStandIn(options: GatewayStandInOptions): Promise<GatewayStandIn> {
  let policy: (JwtPolicy & { jwks: ReturnType<typeof createRemoteJWKSet> }) | undefined;
  const acceptedTokens: string[] = [];
  let rejected = 0;
  let uiTarget: URL | undefined;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const mcp = /^\/mcp\/([a-z0-9-]+)$/.exec(url.pathname);
    if (mcp) {
      const backend = options.backends.get(mcp[1]!);
      if (!backend) {
        res.writeHead(404).end();
        return;
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      try {
        if (!token || !policy) throw new Error('no bearer token or no policy');
        await jwtVerify(token, policy.jwks, { issuer: policy.issuer, audience: policy.audience, algorithms: ['RS256'] });
      } catch {
        rejected += 1;
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'text/plain' });
        res.end('authentication failed');
        return;
      }
      acceptedTokens.push(token);
      // The server sees the gateway's own Host, not the public one (MCP_ALLOWED_HOSTS lists the Service names).
      const { host: _host, ...headers } = req.headers;
      forward(req, res, new URL(backend.pathname + url.search, backend), headers);
      return;
    }
    const isUi = url.pathname === '/ui' || url.pathname.startsWith('/ui/');
    if (uiTarget && (isUi || url.pathname === '/auth' || url.pathname.startsWith('/auth/'))) {
      const path = isUi ? url.pathname.slice(3) || '/' : url.pathname;
      forward(req, res, new URL(path + url.search, uiTarget), req.headers);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    setJwtPolicy: (next) => {
      policy = { ...next, jwks: createRemoteJWKSet(next.jwksUri) };
    },
    setUiTarget: (target) => {
      uiTarget = target;
    },
    acceptedTokens,
    rejectedCount: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
