/**
 * The route's limits as v1.4.1 applies them after authorization (`proxy/httpproxy.rs`, `apply_request_policies`):
 * the local rate limit (`http/localratelimit.rs`: a token bucket, full at start, refilled in whole intervals; past
 * it 429 with x-ratelimit-limit, -remaining and -reset, `proxy/mod.rs`), then the request buffer (`http/buffer.rs`,
 * FailClosed: 413 past `maxBytes`). One bucket per route's policy, as each route has its own access policy.
 */
import { discardRest, requestBody } from './body.ts';
import { type Answer, type Exchange, type GatewayContext, errorAnswer } from './pipeline.ts';
import { TokenBucket } from './token-bucket.ts';

export function rateLimit(exchange: Exchange, gateway: GatewayContext): Answer | undefined {
  const match = exchange.route?.match;
  if (!match?.rateLimit) return undefined;
  const key = `${match.routeNamespace}/${match.route}/${match.rateLimit.policy}`;
  const now = gateway.now().getTime();
  let bucket = gateway.rateLimiters.get(key);
  if (!bucket) gateway.rateLimiters.set(key, (bucket = new TokenBucket(match.rateLimit, now)));
  const taken = bucket.take(now);
  if (taken.ok) return undefined;
  return errorAnswer(429, 'rate_limited', 'too many requests on this route; retry after x-ratelimit-reset seconds', {
    'x-ratelimit-limit': String(taken.limit),
    'x-ratelimit-remaining': String(taken.remaining),
    'x-ratelimit-reset': String(taken.resetSeconds),
  });
}

/** A body past the route's `maxBytes` is refused with 413; the rest of it is read and dropped, so the client reads the answer. */
export async function bodyLimit(exchange: Exchange): Promise<Answer | undefined> {
  if (exchange.route?.match.maxRequestBytes === undefined || !['POST', 'PUT', 'PATCH'].includes(exchange.req.method ?? '')) return undefined;
  if ((await requestBody(exchange)) !== undefined) return undefined;
  discardRest(exchange.req);
  return errorAnswer(413, 'payload_too_large', `the request body is larger than this route's limit of ${exchange.route.match.maxRequestBytes} bytes`);
}
