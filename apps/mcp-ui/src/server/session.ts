import type { IncomingMessage } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { clearChunkedCookies, cookieName, parseCookies, serializeCookie } from './cookies.ts';
import type { Sealer } from './seal.ts';
import { KEY_PREFIX, type RecordStore } from './session-store.ts';

/** What the server keeps for a signed-in user, in the session store. Never sent to the browser. */
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
  /** When the session began; it never outlives createdAt + the session lifetime. */
  createdAt: number;
}

/** A session with the id its cookie carries. */
export interface CurrentSession {
  id: string;
  session: Session;
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
/** 256 random bits, base64url: the only thing the session cookie holds. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions kept on the server (OWASP ASVS V3): the cookie holds an opaque random id, the store holds the tokens.
 * Ending a session deletes its record, so the old cookie opens nothing on any replica that shares the store.
 */
export interface SessionStore {
  readonly kind: RecordStore['kind'];
  read(req: IncomingMessage): Promise<CurrentSession | undefined>;
  get(id: string): Promise<Session | undefined>;
  /** A new session under a new id (sign-in); the request's previous session, if any, ends. Set-Cookie values. */
  start(req: IncomingMessage, session: Session): Promise<string[]>;
  /** Saves a changed session (a refresh); false when it ended meanwhile, which it then stays. */
  update(id: string, session: Session): Promise<boolean>;
  /** Ends the request's session in the store; Set-Cookie values that remove the cookie. */
  end(req: IncomingMessage): Promise<string[]>;
  /** A short lock per session, so one replica refreshes its tokens while the others wait for the result. */
  lockRefresh(id: string, ttlMs: number): Promise<boolean>;
  unlockRefresh(id: string): Promise<void>;
  readFlow(req: IncomingMessage): LoginFlow | undefined;
  writeFlow(flow: Omit<LoginFlow, 'expiresAt'>): string;
  clearFlow(): string;
  ping(): Promise<void>;
  close(): Promise<void>;
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

/** Store keys are hashes of the id: a reader of the store's keys gets nothing to put in a cookie. */
const digest = (id: string) => createHash('sha256').update(id).digest('base64url');
const recordKey = (id: string) => `${KEY_PREFIX}session:${digest(id)}`;
const refreshLockKey = (id: string) => `${KEY_PREFIX}refresh-lock:${digest(id)}`;

/**
 * Builds the session layer over a record store. Records are sealed with the session key (bound to their id), so a
 * copy of the store holds no readable token. `secure` decides the Secure attribute and the __Host- prefix.
 */
export function createSessionStore(options: { store: RecordStore; sealer: Sealer; secure: boolean; maxAgeSeconds: number; now: () => number }): SessionStore {
  const { store, sealer, secure, maxAgeSeconds, now } = options;
  const sessionName = cookieName(SESSION_COOKIE, secure);
  const flowName = cookieName(FLOW_COOKIE, secure);
  const remaining = (session: Session) => session.createdAt + maxAgeSeconds - now();
  const cookieId = (req: IncomingMessage) => {
    const id = parseCookies(req).get(sessionName);
    return id !== undefined && SESSION_ID.test(id) ? id : undefined;
  };
  // Sessions of the earlier sealed-cookie format came in chunks <name>.0, .1 ...: expire any the browser still sends.
  const clearLegacy = (req: IncomingMessage) => clearChunkedCookies(sessionName, { secure, maxAgeSeconds: 0 }, parseCookies(req));

  const get = async (id: string): Promise<Session | undefined> => {
    const sealed = await store.get(recordKey(id));
    if (!sealed) return undefined;
    const session = sealer.unseal(`session:${id}`, sealed);
    return isSession(session) && remaining(session) > 0 ? session : undefined;
  };

  return {
    kind: store.kind,
    async read(req) {
      const id = cookieId(req);
      const session = id ? await get(id) : undefined;
      return id && session ? { id, session } : undefined;
    },
    get,
    async start(req, session) {
      const previous = cookieId(req);
      if (previous) await store.delete(recordKey(previous));
      const id = randomBytes(32).toString('base64url');
      const ttl = remaining(session);
      if (!(await store.set(recordKey(id), sealer.seal(`session:${id}`, session), ttl, 'new'))) throw new Error('session id collision');
      return [serializeCookie(sessionName, id, { secure, maxAgeSeconds: ttl }), ...clearLegacy(req)];
    },
    async update(id, session) {
      const ttl = remaining(session);
      if (ttl <= 0) return false;
      return store.set(recordKey(id), sealer.seal(`session:${id}`, session), ttl, 'existing');
    },
    async end(req) {
      const id = cookieId(req);
      if (id) await store.delete(recordKey(id));
      return [serializeCookie(sessionName, '', { secure, maxAgeSeconds: 0 }), ...clearLegacy(req)];
    },
    lockRefresh: (id, ttlMs) => store.lock(refreshLockKey(id), ttlMs),
    unlockRefresh: (id) => store.delete(refreshLockKey(id)),
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
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
