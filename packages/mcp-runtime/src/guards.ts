/**
 * Host and Origin checks for the MCP path (DNS-rebinding protection, spec "Security Warning" of the
 * Streamable HTTP transport). Pure functions: the server maps a rejection to an HTTP answer.
 */

/** Why a request was refused, or `undefined` when it may proceed. */
export interface GuardRejection {
  status: 403;
  message: string;
}

/** Extracts the lower-cased host name (no port, IPv6 kept in brackets) from a Host header, or undefined. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined || hostHeader === '') return undefined;
  const lower = hostHeader.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    if (end === -1) return undefined;
    const rest = lower.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  const name = colon === -1 ? lower : lower.slice(0, colon);
  if (colon !== -1 && !/^\d{1,5}$/.test(lower.slice(colon + 1))) return undefined;
  if (!/^[a-z0-9.-]+$/.test(name)) return undefined;
  return name;
}

/** Checks the Host header's name against the allow-list (entries already normalized by the config). */
export function checkHost(hostHeader: string | undefined, allowedHosts: readonly string[]): GuardRejection | undefined {
  const name = hostnameOf(hostHeader);
  if (name === undefined) return { status: 403, message: 'Forbidden: missing or malformed Host header' };
  if (!allowedHosts.includes(name)) return { status: 403, message: `Forbidden: host "${name}" is not allowed` };
  return undefined;
}

/**
 * Checks a present Origin header. Accepted: an origin in the allow-list (exact `scheme://host[:port]`),
 * or a same-origin request (`http(s)://` + the Host header, which `checkHost` has already allowed: a
 * page served by this very host, not a rebinding site). No Origin (non-browser clients) passes.
 */
export function checkOrigin(
  originHeader: string | undefined,
  allowedOrigins: readonly string[],
  hostHeader?: string,
): GuardRejection | undefined {
  if (originHeader === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(originHeader);
  } catch {
    return { status: 403, message: 'Forbidden: malformed Origin header' };
  }
  const origin = url.origin;
  if (origin !== 'null' && allowedOrigins.includes(origin)) return undefined;
  const sameOrigin =
    hostHeader !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.host === hostHeader.trim().toLowerCase();
  if (sameOrigin) return undefined;
  return { status: 403, message: `Forbidden: origin "${origin}" is not allowed` };
}
