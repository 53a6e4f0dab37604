/**
 * Where session records live. Redis (SESSION_STORE_URL) is shared by every replica, so a session ended on one
 * replica is gone for all of them; the in-memory store is for a single replica only. Values arrive sealed
 * (session.ts), so the store only keeps opaque text under opaque keys, each with its own expiry.
 */
import { createClient } from '@redis/client';

/** Opaque values under opaque keys, each with an expiry. */
export interface RecordStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** `new`: only if the key is absent (a new session); `existing`: only if present (an update never revives an ended session). */
  set(key: string, value: string, ttlSeconds: number, condition: 'new' | 'existing'): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Takes a lock that expires by itself; true when this caller took it. */
  lock(key: string, ttlMs: number): Promise<boolean>;
  /** Answers, or throws SessionStoreUnavailable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Every key the UI writes starts with this; the UI's Redis user may touch nothing else. */
export const KEY_PREFIX = 'mcp-ui:';

/**
 * The Redis ACL rules of the UI's user (docs/operations.md quotes them; the tests' redis-server runs with them):
 * its own keys only, no Pub/Sub channels, and only the commands it sends.
 */
export const REDIS_ACL_RULES = `resetkeys ~${KEY_PREFIX}* resetchannels -@all +get +set +del +ping`;

/** The store could not be reached or refused: the request gets 503, never a guess about the session. */
export class SessionStoreUnavailable extends Error {
  override name = 'SessionStoreUnavailable';
}

/** Sessions in this process only: right for one replica, wrong for two (each would know only its own sign-ins). */
export function createMemoryStore(now: () => number = () => Date.now()): RecordStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  // Expired entries are dropped when read; the sweep bounds what sessions never read again would keep.
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, 60_000);
  sweep.unref();
  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlSeconds, condition) {
      const exists = live(key) !== undefined;
      if (condition === 'new' ? exists : !exists) return false;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async lock(key, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value: '1', expiresAt: now() + ttlMs });
      return true;
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}

/** How to reach Redis: SESSION_STORE_URL, and the password and CA read from their Secret files. */
export interface RedisStoreOptions {
  url: URL;
  password?: string;
  /** PEM of the CA that signed the server's certificate (rediss:// with a private CA). */
  ca?: string;
  onError?: (error: Error) => void;
}

/**
 * Redis through the official client. Commands fail at once while the connection is down (no offline queue) and
 * after 2 s without an answer, so a request gets 503 instead of hanging; the client reconnects by itself.
 */
export function createRedisStore(options: RedisStoreOptions): RecordStore {
  const tls = options.url.protocol === 'rediss:';
  // The user name goes beside the password (the client reads credentials from the URL or the options, not both).
  const address = new URL(options.url.href);
  const username = decodeURIComponent(address.username);
  address.username = '';
  const client = createClient({
    url: address.href,
    ...(username ? { username } : {}),
    ...(options.password ? { password: options.password } : {}),
    disableOfflineQueue: true,
    disableClientInfo: true,
    // A Redis that stops answering must not hold requests: each command gives up after 2 s (then 503).
    commandOptions: { timeout: 2_000, rejectInFlight: true },
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
      ...(tls ? { tls: true, ...(options.ca ? { ca: options.ca } : {}) } : {}),
    },
  });
  client.on('error', (error: Error) => options.onError?.(error));
  const connected = client.connect().catch((error: unknown) => options.onError?.(error as Error));
  // The first connection is waited for briefly; a Redis still down after that gets 503 (and readiness false), not a hang.
  const firstConnection = Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  const call = async <T>(command: () => Promise<T>): Promise<T> => {
    await firstConnection;
    try {
      return await command();
    } catch (error) {
      throw new SessionStoreUnavailable(`session store: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    kind: 'redis',
    get: (key) => call(async () => (await client.get(key)) ?? undefined),
    set: (key, value, ttlSeconds, condition) =>
      call(async () => (await client.set(key, value, { expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) }, condition: condition === 'new' ? 'NX' : 'XX' })) === 'OK'),
    delete: (key) => call(async () => void (await client.del(key))),
    lock: (key, ttlMs) => call(async () => (await client.set(key, '1', { expiration: { type: 'PX', value: ttlMs }, condition: 'NX' })) === 'OK'),
    ping: () => call(async () => void (await client.ping())),
    async close() {
      await connected;
      if (client.isOpen) await client.close();
    },
  };
}

/** The store the configuration names: Redis when SESSION_STORE_URL is set, else this process's memory. */
export function createRecordStore(redis: Omit<RedisStoreOptions, 'onError'> | undefined, onError?: (error: Error) => void): RecordStore {
  return redis ? createRedisStore({ ...redis, ...(onError ? { onError } : {}) }) : createMemoryStore();
}
