/**
 * What the gateway refuses before any routing, so a request can never be read one way here and another way by
 * the next hop (request smuggling), and no header the gateway writes can carry a client's stray characters:
 * - a body on a method that takes none (GET, HEAD, DELETE, OPTIONS, TRACE): Node would forward its bytes to the
 *   upstream without any framing, where they are read as a second request on a pooled connection;
 * - a Host that is not a plain `host[:port]`: the host goes into URLs and `WWW-Authenticate` values.
 * Node's parser already refuses `Transfer-Encoding` together with `Content-Length`.
 */
import type { Answer, Exchange } from './pipeline.ts';
import { errorAnswer } from './pipeline.ts';

export const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** True when the request announces a body: any Transfer-Encoding, or a Content-Length above zero. */
export function hasBody(headers: Exchange['req']['headers']): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

export function checkFraming(exchange: Exchange): Answer | undefined {
  const { req } = exchange;
  const close = { connection: 'close' };
  if (METHODS_WITHOUT_BODY.has(req.method ?? '') && hasBody(req.headers)) {
    return errorAnswer(400, 'bad_request', `a ${req.method} request carries no body; this one announced one`, close);
  }
  if (!HOST.test(req.headers.host ?? '')) return errorAnswer(400, 'bad_request', 'the Host header is not a valid host[:port]', close);
  return undefined;
}
