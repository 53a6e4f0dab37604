import type { Catalog } from './catalog.ts';
import type { UiConfig } from './config.ts';
import type { Logger } from './log.ts';
import type { OidcClient } from './oidc.ts';
import type { SessionStore } from './session.ts';
import type { FreshSession } from './token-refresh.ts';
import type { Session } from './session.ts';

/** What the route handlers share. */
export interface UiContext {
  config: UiConfig;
  sessions: SessionStore;
  oidc: OidcClient;
  ensureFresh: (session: Session) => Promise<FreshSession | undefined>;
  catalog: () => Promise<Catalog>;
  log: Logger;
}
