/**
 * Stands in for Microsoft Entra ID in the UI tests: the repository's Entra stand-in (dev/entra-stand-in.ts, a
 * real oidc-provider on loopback: discovery, JWKS, authorization code + PKCE, refresh tokens, RP-initiated
 * logout, JWT access tokens whose `aud` is the API's id), signing the test user in without a page.
 */
import { DEV_USER, startEntraStandIn, type EntraStandIn } from '../../../../dev/entra-stand-in.ts';

export const TEST_USER = DEV_USER;

export interface TestProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** The API's audience (Entra v2: the API app's client id). */
  audience: string;
  /** The API's delegated scope, Entra style: api://<id>/mcp.access. */
  apiScope: string;
}

export type TestProvider = Pick<EntraStandIn, 'issuer' | 'jwksUri' | 'issuedAccessTokens' | 'refreshCount' | 'close'>;

export function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  return startEntraStandIn({
    audience: options.audience,
    apiScope: options.apiScope,
    webClients: [
      {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        redirectUris: options.redirectUris,
        postLogoutRedirectUris: options.postLogoutRedirectUris,
      },
    ],
    autoSignIn: true,
  });
}
