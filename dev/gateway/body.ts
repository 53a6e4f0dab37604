/** Reading a request body into memory with a cap, as v1.4.1 does wherever it buffers one. */
import type http from 'node:http';
import type { Exchange } from './pipeline.ts';

/** v1.4.1's `DEFAULT_BUFFER_LIMIT` (crates/http/src/lib.rs ~L6): 2 MiB, for MCP messages and OAuth forms alike. */
export const BUFFER_LIMIT = 2_097_152;

/** The whole body, or `undefined` once it passes `limit` (the rest is left unread: answer, then close). */
export function readBody(req: http.IncomingMessage, limit = BUFFER_LIMIT): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * The exchange's body, read once (later steps and the access log share it); `undefined` past the limit: the route's
 * `traffic.buffer.request.maxBytes` when it has one (v1.4.1 reads an MCP message up to it), else 2 MiB.
 */
export async function requestBody(exchange: Exchange): Promise<Buffer | undefined> {
  if (exchange.body === undefined) exchange.body = (await readBody(exchange.req, bodyLimitOf(exchange))) ?? null;
  return exchange.body ?? undefined;
}

/** How much of a refused body the gateway reads and drops so the client reads the answer; past it, the connection closes. */
export const DISCARD_LIMIT = 64 * 1_048_576;

/**
 * Reads and drops the rest of a body the gateway refused, so a client still sending gets the answer instead of a
 * reset, and the connection serves its next request; a client that sends more than `limit` is cut off.
 */
export function discardRest(req: http.IncomingMessage, limit = DISCARD_LIMIT): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) req.socket.destroy();
  });
  req.resume();
}

/** The most of a body this exchange reads. */
export const bodyLimitOf = (exchange: Exchange): number => exchange.route?.match.maxRequestBytes ?? BUFFER_LIMIT;

/**
 * v1.4.1 reads the body before the route's policies when one of their expressions uses `request.body`
 * (`cel/mod.rs` `maybe_buffer_request_body`, called from `proxy/httpproxy.rs` before `apply_request_policies`),
 * so conditions and the access log can read it; a body past the limit leaves `request.body` unavailable.
 */
export async function bufferBody(exchange: Exchange): Promise<undefined> {
  if (exchange.route?.match.readsBody && exchange.req.method === 'POST') await requestBody(exchange);
  return undefined;
}
