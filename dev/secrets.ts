/**
 * The values the dev stack puts in the Secrets the manifests mount. In a cluster these come from the
 * operator (see the README's bootstrap section); here each run makes fresh random ones, never written to git.
 */
import { randomBytes } from 'node:crypto';

export type DevSecrets = Map<string, Record<string, string>>;

const random = () => randomBytes(24).toString('base64url');

export function devSecretValues(): DevSecrets {
  return new Map<string, Record<string, string>>([
    ['hubspot-access-token', { 'access-token': `dev-hubspot-${random()}`, 'expires-at': new Date(Date.now() + 30 * 60_000).toISOString() }],
    ['hubspot-oauth-credentials', { 'client-id': 'dev-hubspot-client', 'client-secret': random(), 'refresh-token': `dev-refresh-${random()}` }],
    ['mcp-ui-oidc', { 'client-secret': random(), 'session-key': randomBytes(32).toString('base64') }],
    ['mcp-ui-session-store', { password: random() }],
    ['mcp-mssql-login', { username: 'mcp_reader', password: random() }],
    ['dev-cli', { 'client-secret': random() }],
    ['reporting-job', { 'client-secret': random() }],
  ]);
}
