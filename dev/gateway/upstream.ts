/**
 * The last step: the call to the upstream the route points at, over a keep-alive pool of this gateway's own.
 * Every body that leaves has framing the upstream reads exactly as the gateway did: an MCP message is read
 * whole first (as agentgateway, which terminates MCP, does, up to its 2 MiB buffer limit) and sent with its
 * Content-Length; any other body goes with the client's Content-Length or re-chunked. An upstream that cannot be
 * reached gets a fixed answer; the cause is logged, never sent.
 */
import http from 'node:http';
import { bodyLimitOf, requestBody } from './body.ts';
import { hasBody } from './framing.ts';
import type { Upstream } from './manifests.ts';
import { type Answer, type Exchange, type GatewayContext, errorAnswer } from './pipeline.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);

/** Request headers for the upstream: no hop-by-hop ones, nor any the client listed in Connection. */
function forwardedHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const listed = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((h) => h.trim()).filter(Boolean));
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !listed.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

export function createUpstreamAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64 });
}

/**
 * Sends the exchange to its upstream and streams the answer back; resolves when the answer is complete. With
 * `rewrite`, the answer is read whole and sent as `rewrite` returns it (the MCP list filter).
 */
export async function forward(
  exchange: Exchange,
  res: http.ServerResponse,
  gateway: GatewayContext,
  agent: http.Agent,
  rewrite?: (body: Buffer, contentType: string) => Buffer,
): Promise<Answer | undefined> {
  const { match, upstreamPath } = exchange.route!;
  const target = gateway.resolve(match.upstream);
  if (!target) {
    gateway.log(`no local process for ${describe(match.upstream)}`);
    return errorAnswer(503, 'unavailable', 'the server behind this route is not running');
  }

  const { req } = exchange;
  const headers = forwardedHeaders(req.headers);
  // agentgateway speaks to a static MCP target by its host name.
  if (match.upstream.kind === 'mcp') headers.host = `${match.upstream.host}:${match.upstream.port}`;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] = exchange.externalUrl.protocol.replace(':', '');
  headers['x-forwarded-host'] = req.headers.host ?? '';

  let body: Buffer | undefined;
  if (hasBody(req.headers)) {
    if (match.upstream.kind === 'mcp' || req.headers['content-length'] === undefined) {
      body = await requestBody(exchange);
      // v1.4.1 answers an MCP message over its buffer limit with 400 (`mcp::Error::Deserialize`).
      const status = match.upstream.kind === 'mcp' ? 400 : 413;
      if (!body) return errorAnswer(status, 'request_too_large', `the request body is larger than the gateway's limit of ${bodyLimitOf(exchange)} bytes`, { connection: 'close' });
      headers['content-length'] = String(body.length);
    } else {
      headers['content-length'] = req.headers['content-length'];
    }
  }
  const path = (match.upstream.kind === 'mcp' ? match.upstream.path : upstreamPath) + exchange.url.search;

  return new Promise<Answer | undefined>((resolve) => {
    let answered = false;
    const upstream = http.request({ ...target, path, method: req.method, headers, agent }, (answer) => {
      answered = true;
      const out: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      }
      if (rewrite) {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const rewritten = rewrite(Buffer.concat(chunks), String(answer.headers['content-type'] ?? ''));
          res.writeHead(answer.statusCode ?? 502, { ...out, 'content-length': String(rewritten.length) });
          res.end(rewritten);
          resolve(undefined);
        });
      } else {
        if (answer.headers['content-length'] !== undefined) out['content-length'] = answer.headers['content-length'];
        res.writeHead(answer.statusCode ?? 502, out);
        res.flushHeaders();
        answer.pipe(res);
        answer.on('end', () => resolve(undefined));
      }
      answer.on('error', (error) => {
        gateway.log(`upstream ${describe(match.upstream)} broke off its answer: ${error.message}`);
        res.destroy();
        resolve(undefined);
      });
    });
    upstream.on('error', (error) => {
      // An upstream may answer (413...) and close before it read the whole body: its answer stands.
      if (answered) return;
      gateway.log(`upstream ${describe(match.upstream)} failed: ${error.message}`);
      resolve(errorAnswer(502, 'bad_gateway', 'the server behind this route did not answer'));
    });
    // The client going away ends the upstream call too (an MCP client's cancel or a closed stream).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (body) upstream.end(body);
    else if (hasBody(req.headers)) req.pipe(upstream);
    else upstream.end();
  });
}

function describe(upstream: Upstream): string {
  return upstream.kind === 'mcp' ? `${upstream.backend} (${upstream.host}:${upstream.port})` : `Service ${upstream.service}:${upstream.port}`;
}
