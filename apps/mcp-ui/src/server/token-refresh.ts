import type { OidcClient } from './oidc.ts';
import type { Session } from './session.ts';

/** The session to act with, and whether it changed (then the cookie must be re-issued). */
export interface FreshSession {
  session: Session;
  refreshed: boolean;
}

/**
 * Keeps the access token valid: when fewer than `skewSeconds` are left it runs the refresh token grant.
 * Concurrent requests of one session share one refresh. Resolves undefined when the session cannot be
 * kept alive (expired without refresh token, or the provider refused the refresh): the user signs in again.
 */
export function createSessionRefresher(oidc: OidcClient, options: { skewSeconds: number; now: () => number; onError?: (error: unknown) => void }) {
  const inFlight = new Map<string, Promise<FreshSession | undefined>>();
  const refresh = async (session: Session, refreshToken: string): Promise<FreshSession | undefined> => {
    try {
      const tokens = await oidc.refresh(refreshToken);
      return {
        refreshed: true,
        session: {
          ...session,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          refreshToken: tokens.refreshToken ?? refreshToken,
        },
      };
    } catch (error) {
      options.onError?.(error);
      return undefined;
    }
  };
  return async function ensureFresh(session: Session): Promise<FreshSession | undefined> {
    if (session.expiresAt - options.now() > options.skewSeconds) return { session, refreshed: false };
    if (!session.refreshToken) return session.expiresAt > options.now() ? { session, refreshed: false } : undefined;
    const key = session.refreshToken;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = refresh(session, key).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
