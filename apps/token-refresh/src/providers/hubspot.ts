/**
 * HubSpot OAuth (public/OAuth apps). Token endpoint `POST /oauth/2026-03/token`, form-encoded, client
 * credentials in the body; the legacy `/oauth/v1/token` takes the same form. Access tokens live 30 minutes.
 * Errors are RFC 6749 (`error`, `error_description`) plus the legacy `status` / `message` fields.
 */
import { formRefreshRequest, interpretStandard } from './oauth2.ts';
import type { OAuthProvider } from './types.ts';

/** Legacy HubSpot error statuses that mean the refresh token is no longer good. */
const LEGACY_INVALID_GRANT = new Set(['BAD_REFRESH_TOKEN', 'EXPIRED_REFRESH_TOKEN', 'INVALID_REFRESH_TOKEN']);

export const hubspot: OAuthProvider = {
  name: 'hubspot',
  displayName: 'HubSpot',
  defaultTokenUrl: 'https://api.hubapi.com/oauth/2026-03/token',
  refreshRequest: formRefreshRequest,
  interpret: (response, now) =>
    interpretStandard(response, now, {
      reauthorizeHint:
        'the app was uninstalled, its consent revoked, or the refresh token is wrong: re-authorise the HubSpot app ' +
        '(open its OAuth install URL, approve, exchange the code) and put the new refresh token into the credentials Secret',
      legacyError: (body) =>
        [body.status, body.error].some((code) => typeof code === 'string' && LEGACY_INVALID_GRANT.has(code)) ? 'invalid_grant' : undefined,
    }),
};
