import type { IncomingMessage } from 'node:http';

/** Attributes of a cookie this server sets. Path is always / (the page is at /ui, sign-in at /auth). */
export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** Parses the Cookie header into a map (first occurrence wins). */
export function parseCookies(req: Pick<IncomingMessage, 'headers'>): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain); only possible over https. */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

/** One Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure when asked. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Set-Cookie values that expire every chunk of `name` from index `from` on that the request carries. */
export function clearChunkedCookies(name: string, options: CookieOptions, present: Map<string, string>, from = 0): string[] {
  const headers: string[] = [];
  for (const key of present.keys()) {
    const match = key.startsWith(`${name}.`) ? /^\d+$/.exec(key.slice(name.length + 1)) : null;
    if (match && Number(match[0]) >= from) headers.push(serializeCookie(key, '', { ...options, maxAgeSeconds: 0 }));
  }
  return headers;
}
