import type { Catalog } from './catalog.ts';
import type { UiConfig } from './config.ts';
import type { Logger } from '@mcp-gateway/telemetry';
import type { OidcClient } from './oidc.ts';
import type { SessionStore } from './session.ts';
import type { CurrentSession, Session } from './session.ts';

/** What the route handlers share. */
export interface UiContext {
  config: UiConfig;
  sessions: SessionStore;
  oidc: OidcClient;
  /** The session with a valid access token (refreshed and saved when needed), or undefined: sign in again. */
  ensureFresh: (current: CurrentSession) => Promise<Session | undefined>;
  catalog: () => Promise<Catalog>;
  log: Logger;
}
