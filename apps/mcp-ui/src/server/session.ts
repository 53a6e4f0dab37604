import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chunkedCookies, clearChunkedCookies, cookieName, parseCookies, readChunkedCookie, serializeCookie } from './cookies.ts';
import type { Sealer } from './seal.ts';

/** What the session cookie holds: only what the server needs to act for the user. Never sent to page scripts. */
export interface Session {
  /** Subject of the ID token. */
  sub: string;
  name?: string;
  email?: string;
  /** Entra's optional login_hint claim, used as logout_hint at sign-out. */
  loginHint?: string;
  accessToken: string;
  /** Access token expiry, seconds since the epoch. */
  expiresAt: number;
  refreshToken?: string;
  /** Double-submit token: the page sends it back in X-CSRF-Token (or the logout form's csrf field). */
  csrf: string;
  /** When the session began; the cookie never outlives createdAt + the session lifetime. */
  createdAt: number;
}

/** The short-lived state of a sign-in in progress, kept between /auth/login and /auth/callback. */
export interface LoginFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'mcpui-session';
export const FLOW_COOKIE = 'mcpui-flow';
const FLOW_TTL_SECONDS = 600;

/** Reads and writes the sealed session and sign-in flow cookies. */
export interface SessionStore {
  read(req: IncomingMessage): Session | undefined;
  /** Set-Cookie values that store the session (chunked when large). */
  write(req: IncomingMessage, session: Session): string[];
  /** Set-Cookie values that remove the session. */
  clear(req: IncomingMessage): string[];
  readFlow(req: IncomingMessage): LoginFlow | undefined;
  writeFlow(flow: Omit<LoginFlow, 'expiresAt'>): string;
  clearFlow(): string;
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

function isSession(value: unknown): value is Session {
  const s = value as Session;
  return typeof s === 'object' && s !== null && typeof s.sub === 'string' && typeof s.accessToken === 'string'
    && typeof s.expiresAt === 'number' && typeof s.csrf === 'string' && typeof s.createdAt === 'number';
}

function isFlow(value: unknown): value is LoginFlow {
  const f = value as LoginFlow;
  return typeof f === 'object' && f !== null && typeof f.state === 'string' && typeof f.nonce === 'string'
    && typeof f.codeVerifier === 'string' && typeof f.returnTo === 'string' && typeof f.expiresAt === 'number';
}

/** Builds the store; `secure` decides the Secure attribute and the __Host- prefix. */
export function createSessionStore(options: { sealer: Sealer; secure: boolean; maxAgeSeconds: number; now: () => number }): SessionStore {
  const { sealer, secure, maxAgeSeconds, now } = options;
  const sessionName = cookieName(SESSION_COOKIE, secure);
  const flowName = cookieName(FLOW_COOKIE, secure);
  return {
    read(req) {
      const sealed = readChunkedCookie(sessionName, parseCookies(req));
      if (!sealed) return undefined;
      const value = sealer.unseal(sessionName, sealed);
      if (!isSession(value) || value.createdAt + maxAgeSeconds <= now()) return undefined;
      return value;
    },
    write(req, session) {
      const remaining = session.createdAt + maxAgeSeconds - now();
      return chunkedCookies(sessionName, sealer.seal(sessionName, session), { secure, maxAgeSeconds: remaining }, parseCookies(req));
    },
    clear(req) {
      return clearChunkedCookies(sessionName, { secure, maxAgeSeconds: 0 }, parseCookies(req));
    },
    readFlow(req) {
      const sealed = parseCookies(req).get(flowName);
      if (!sealed) return undefined;
      const value = sealer.unseal(flowName, sealed);
      if (!isFlow(value) || value.expiresAt <= now()) return undefined;
      return value;
    },
    writeFlow(flow) {
      const value = sealer.seal(flowName, { ...flow, expiresAt: now() + FLOW_TTL_SECONDS });
      return serializeCookie(flowName, value, { secure, maxAgeSeconds: FLOW_TTL_SECONDS });
    },
    clearFlow() {
      return serializeCookie(flowName, '', { secure, maxAgeSeconds: 0 });
    },
  };
}
