import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * Whether a request comes from our own page: the Origin (sent by browsers on every POST and on fetches with
 * custom headers) must be the public origin, and Sec-Fetch-Site, when sent, must be same-origin.
 * A request with neither header is not a browser's cross-site request (browsers send at least one).
 */
export function isSameOriginRequest(req: IncomingMessage, publicOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return true;
}

/** Constant-time comparison of the double-submit token with the one in the session. */
export function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The CSRF check for state-changing API calls: same origin AND the X-CSRF-Token header matches the session's token. */
export function passesCsrfCheck(req: IncomingMessage, publicOrigin: string, sessionToken: string): boolean {
  const header = req.headers[CSRF_HEADER];
  return isSameOriginRequest(req, publicOrigin) && tokensMatch(Array.isArray(header) ? header[0] : header, sessionToken);
}
