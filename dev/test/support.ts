/**
 * Shared set-up of the end-to-end tests: the dev stack on environment dev as Argo CD renders it (every Application
 * of the environment, each built with kustomize), and MCP clients through it.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { environmentObjects } from '../../scripts/applications/environments.ts';
import type { KubeObject } from '../gateway/manifests.ts';
import { DEV_USER } from '../entra-users.ts';
import { startStack, type Stack, type StackOptions } from '../stack.ts';
import { Agent, signInAs } from './sign-in.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export type Era = '2025-11-25' | '2026-07-28';

/** The dev stack on `environment` of the tree at `root` (a copy of the repository in some tests). */
export async function startDevStack(
  environment = 'dev',
  options: Partial<Omit<StackOptions, 'objects' | 'repoRoot'>> = {},
  root = repoRoot,
): Promise<{ stack: Stack; objects: KubeObject[] }> {
  const objects = (await environmentObjects(root, environment)) as KubeObject[];
  return { stack: await startStack({ objects, repoRoot, ...options }), objects };
}

/** The redirect URI the tests' MCP clients listen on (registered, port-free, on the stand-in's public client). */
export const TEST_REDIRECT_URI = 'http://127.0.0.1:49153/oauth/callback';

/**
 * A real delegated token from the Entra stand-in, for tests that are not about signing in: the public MCP client's
 * authorization code + PKCE flow, straight at the stand-in, with `userId` clicking through the sign-in page.
 */
export async function userToken(stack: Stack, userId = DEV_USER.id): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(stack.entra.authorizationUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: stack.mcpClientId,
    redirect_uri: TEST_REDIRECT_URI,
    scope: stack.entra.apiScope,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = await signInAs(new Agent(), authorize, TEST_REDIRECT_URI, userId);
  const response = await fetch(stack.entra.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: stack.mcpClientId, code: back.searchParams.get('code') ?? '', redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from the Entra stand-in: ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * An application token (client credentials, `scope=<API>/.default`): no delegated scope, the app roles granted to
 * the application (dev/entra-users.ts: `dev-cli` none, `reporting-job` SQL.Read).
 */
export async function applicationToken(stack: Stack, clientId = 'dev-cli'): Promise<string> {
  const response = await fetch(stack.entra.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: stack.secrets.get(clientId)!['client-secret']!, scope: `${stack.entra.resource}/.default` }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token from the Entra stand-in: ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * The OAuth client side of an MCP client, kept in memory, as the SDK asks a host to implement it. It never
 * opens a browser: `redirectToAuthorization` only records the URL, and the test signs in with `signInAs`.
 */
export class InMemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl?: URL;
  readonly saved = { tokens: 0, registrations: 0 };
  private client?: StoredOAuthClientInformation;
  private stored?: StoredOAuthTokens;
  private verifier = '';
  private discovery?: OAuthDiscoveryState;

  readonly redirect: string;

  constructor(redirect = TEST_REDIRECT_URI) {
    this.redirect = redirect;
  }

  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'mcp-gateway e2e', redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.client = info;
    this.saved.registrations += 1;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
    this.saved.tokens += 1;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/**
 * The SDK client's own OAuth flow against a route, with no token handed to it: connect, get 401, discover,
 * register, be sent to sign in (the test signs in as `userId`), finish with the code, connect again.
 */
export async function connectWithSignIn(
  stack: Stack,
  route: string,
  options: { provider?: InMemoryOAuthProvider; userId?: string; skipIssuerMetadataValidation?: boolean } = {},
): Promise<{ client: Client; provider: InMemoryOAuthProvider }> {
  const provider = options.provider ?? new InMemoryOAuthProvider();
  const transportOptions = { authProvider: provider, ...(options.skipIssuerMetadataValidation ? { skipIssuerMetadataValidation: true } : {}) };
  const url = new URL(route, stack.gateway.url);
  const first = new Client({ name: 'e2e', version: '0.0.0' });
  const firstTransport = new StreamableHTTPClientTransport(url, transportOptions);
  try {
    await first.connect(firstTransport);
    return { client: first, provider };
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !provider.authorizationUrl) throw error;
  }
  const back = await signInAs(new Agent(), provider.authorizationUrl, provider.redirect, options.userId ?? DEV_USER.id);
  await firstTransport.finishAuth(back.searchParams);
  await first.close().catch(() => undefined);
  const client = new Client({ name: 'e2e', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, transportOptions));
  return { client, provider };
}

/** The official MCP client, connected through the gateway with a bearer token, in the given protocol era. */
export async function connectThroughGateway(stack: Stack, route: string, token: string, era: Era = '2025-11-25'): Promise<Client> {
  const client = new Client(
    { name: 'e2e', version: '0.0.0' },
    era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(route, stack.gateway.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** tools/list straight to a process, bypassing the gateway, with the Host header the gateway would send. */
export function listToolsDirect(port: number, host: string): Promise<string[]> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          const json = text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data:'))?.slice(5) ?? '';
          try {
            resolve((JSON.parse(json).result.tools as { name: string }[]).map((t) => t.name).sort());
          } catch {
            reject(new Error(`tools/list on port ${port} answered ${response.statusCode}: ${text.slice(0, 300)}`));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
