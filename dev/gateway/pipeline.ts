/**
 * The local gateway handles a request as a list of small steps, in the order agentgateway v1.4.1 applies its
 * route policies (`proxy/httpproxy.rs`, `apply_request_policies` ~L180–287: JWT, then authorization, then
 * direct response; the backend call last). Each step reads and adds to the exchange and either answers the
 * request or lets the next step run. A new policy kind (authorization, MCP tool filtering, an access log) is a
 * new step in `REQUEST_STEPS` (server.ts), not a branch inside another one.
 */
import type http from 'node:http';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { TokenBucket } from './token-bucket.ts';
import type { GatewayModel, RouteMatch, Upstream } from './manifests.ts';

/** What the gateway needs from its surroundings. */
export interface GatewayContext {
  model: GatewayModel;
  /** Where an upstream runs on this machine; undefined answers 503. */
  resolve(upstream: Upstream): { host: string; port: number } | undefined;
  /** The key set JWTs are verified with (the identity provider's JWKS). */
  keys: JWTVerifyGetKey;
  /**
   * Where `https://login.microsoftonline.com` is on this machine (the Entra stand-in's origin). The Entra bridge
   * calls it, and sends browsers to it, exactly where v1.4.1 would call and send them on the real host.
   */
  entraOrigin?: URL;
  /** See LocalGatewayOptions.bridgedIssuer. */
  bridgedIssuer: 'entra' | 'gateway';
  /** The clock tokens are checked against. */
  now(): Date;
  /** Internal details of a failure (never sent to the client). */
  log(line: string): void;
  /** Receives each access log line (one JSON object, as v1.4.1 writes it with `logging.format: json`). */
  accessLog(line: string): void;
  /** The local rate limit buckets, one per route policy, made on first use. */
  rateLimiters: Map<string, TokenBucket>;
}

/** What the MCP handler knew of a request (CEL `mcp` in the access log): set when the request reached it. */
export interface McpInfo {
  methodName: string;
  tool?: { target: string; name: string };
}

/** One request on its way through the steps. */
export interface Exchange {
  req: http.IncomingMessage;
  /** The request URL as received (path and query). */
  url: URL;
  /**
   * The URL the client used, as v1.4.1 reconstructs it for OAuth metadata (`request_uri_for_oauth_metadata`:
   * the request URI with the scheme of `X-Forwarded-Proto`, crates/http `apply_forwarded_scheme`).
   */
  externalUrl: URL;
  route?: { match: RouteMatch; upstreamPath: string };
  /** Claims of the validated bearer token (CEL `jwt`). */
  claims?: JWTPayload;
  /** The request body once read (CEL `request.body`); null when it was over the buffer limit. */
  body?: Buffer | null;
  mcp?: McpInfo;
  /** Why the gateway answered itself (v1.4.1's `reason` field: JwtAuth, Authorization, DirectResponse, MCP...). */
  reason?: string;
  /** When the request arrived (performance.now()). */
  started: number;
}

/** A complete answer produced by the gateway itself. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** v1.4.1's `reason` of an answer the gateway made itself (default: the step's own). */
  reason?: string;
}

export type Step = (exchange: Exchange, gateway: GatewayContext) => Promise<Answer | undefined> | Answer | undefined;

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An error answer in the gateway's own words: a code and a fixed sentence, never an exception's text. */
export function errorAnswer(status: number, error: string, description: string, headers: Record<string, string> = {}): Answer {
  return jsonAnswer(status, { error, error_description: description }, headers);
}

/** The scheme v1.4.1 takes from `X-Forwarded-Proto`: its first non-empty comma-separated value, lowercased. */
export function forwardedScheme(headers: http.IncomingHttpHeaders): 'http' | 'https' | undefined {
  const raw = headers['x-forwarded-proto'];
  const first = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).split(',').map((v) => v.trim().toLowerCase()).find(Boolean);
  // v1.4.1 accepts any valid scheme; only the two that make sense in a URL a client will follow are honoured here.
  return first === 'http' || first === 'https' ? first : undefined;
}
