import { setTimeout as sleep } from 'node:timers/promises';
import type { OidcClient } from './oidc.ts';
import type { CurrentSession, Session, SessionStore } from './session.ts';

/** How long one replica may hold a session's refresh before another may try. */
const REFRESH_LOCK_MS = 15_000;
/** How often, and how long, a replica that did not get the lock looks for the refreshed session. */
const WAIT_STEP_MS = 100;
const WAIT_MS = 10_000;

/**
 * Keeps the access token valid: when fewer than `skewSeconds` are left it runs the refresh token grant and saves the
 * result in the session store. Concurrent requests of one session share one refresh: in this process through a
 * shared promise, across replicas through a lock in the store (the others wait for the saved result). Resolves
 * undefined when the session cannot be kept alive (expired without refresh token, refused by the provider, or
 * ended meanwhile): the user signs in again.
 */
export function createSessionRefresher(oidc: OidcClient, sessions: SessionStore, options: { skewSeconds: number; now: () => number; onError?: (error: unknown) => void }) {
  const inFlight = new Map<string, Promise<Session | undefined>>();
  const fresh = (session: Session) => session.expiresAt - options.now() > options.skewSeconds;
  const stillValid = (session: Session) => (session.expiresAt > options.now() ? session : undefined);

  const refresh = async ({ id, session }: CurrentSession, refreshToken: string): Promise<Session | undefined> => {
    if (!(await sessions.lockRefresh(id, REFRESH_LOCK_MS))) return waitForOtherReplica(id, session);
    try {
      let updated: Session;
      try {
        const tokens = await oidc.refresh(refreshToken);
        updated = { ...session, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, refreshToken: tokens.refreshToken ?? refreshToken };
      } catch (error) {
        options.onError?.(error);
        return undefined;
      }
      return (await sessions.update(id, updated)) ? updated : undefined;
    } finally {
      await sessions.unlockRefresh(id);
    }
  };

  const waitForOtherReplica = async (id: string, session: Session): Promise<Session | undefined> => {
    for (let waited = 0; waited < WAIT_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      const current = await sessions.get(id);
      if (!current) return undefined;
      if (fresh(current)) return current;
    }
    return stillValid(session);
  };

  return async function ensureFresh(current: CurrentSession): Promise<Session | undefined> {
    const { id, session } = current;
    if (fresh(session)) return session;
    if (!session.refreshToken) return stillValid(session);
    let pending = inFlight.get(id);
    if (!pending) {
      pending = refresh(current, session.refreshToken).finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
    }
    return pending;
  };
}
