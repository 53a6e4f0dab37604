/**
 * The whole path the UI lives on, on loopback: the OpenID provider (Entra's stand-in), mcp-example started
 * in-process with the shared runtime, the gateway stand-in in front of it, and the UI server behind the
 * gateway's /ui and /auth routes, configured exactly as docs/contracts.md says (env + Secret files + catalog).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, type TaskEvent } from '@mcp-gateway/mcp-example';
import { createUiServer, loadUiConfig, type RunningUiServer } from '../../src/server/app.ts';
import { createLogger } from '@mcp-gateway/telemetry';
import { startGatewayStandIn, type GatewayStandIn } from '../gateway-stand-in.ts';
import { startTestProvider, type TestProvider } from './oidc-provider.ts';

export const CLIENT_ID = 'mcp-ui-test';
export const API_AUDIENCE = 'mcp-gateway-api';
export const API_SCOPE = `api://${API_AUDIENCE}/mcp.access`;

export interface Stack {
  provider: TestProvider;
  gateway: GatewayStandIn;
  mcp: RunningMcpApp;
  ui: RunningUiServer;
  /** The public origin (the gateway), as the browser sees it. */
  publicUrl: URL;
  /** Seconds added to the UI server's clock (tests move time forward to reach token refresh). */
  clock: { offsetSeconds: number };
  taskEvents: TaskEvent[];
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startStack(options: { stepMs?: number; quiet?: boolean } = {}): Promise<Stack> {
  const taskEvents: TaskEvent[] = [];
  const mcp = await startMcpApp(
    createApp({ stepMs: options.stepMs ?? 150, onTaskEvent: (event) => taskEvents.push(event) }),
    { port: 0, host: '127.0.0.1', logLevel: 'error' },
    { logSink: () => {} },
  );
  const clientSecret = randomBytes(16).toString('hex');
  // The gateway's port is needed for the provider's redirect URIs and the UI's PUBLIC_URL: start it first.
  const gateway = await startGatewayStandIn({ backends: new Map([['mcp-example', mcp.url]]) });
  const provider = await startTestProvider({
    clientId: CLIENT_ID,
    clientSecret,
    redirectUris: [new URL('/auth/callback', gateway.url).href],
    postLogoutRedirectUris: [new URL('/ui/', gateway.url).href],
    audience: API_AUDIENCE,
    apiScope: API_SCOPE,
  });
  gateway.setJwtPolicy({ issuer: provider.issuer, jwksUri: provider.jwksUri, audience: API_AUDIENCE });

  const dir = mkdtempSync(join(tmpdir(), 'mcp-ui-test-'));
  writeFileSync(join(dir, 'client-secret'), `${clientSecret}\n`);
  writeFileSync(join(dir, 'session-key'), randomBytes(32).toString('base64'));
  writeFileSync(
    join(dir, 'catalog.json'),
    JSON.stringify({
      servers: [
        // A registry that deploys image 1.0.0 of a server whose code still says 0.1.0 (a copied template).
        { name: 'mcp-example', description: 'Example tools: echo, add, time, progress, structured output.', path: '/mcp/mcp-example', version: '1.0.0' },
        { name: 'mcp-offline', description: 'A catalog entry whose route has no backend.', path: '/mcp/mcp-offline' },
      ],
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    PUBLIC_URL: gateway.url.origin,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET_FILE: join(dir, 'client-secret'),
    OIDC_SCOPES: `openid profile email offline_access ${API_SCOPE}`,
    SESSION_KEY_FILE: join(dir, 'session-key'),
    GATEWAY_URL: gateway.url.origin,
    CATALOG_FILE: join(dir, 'catalog.json'),
    METRICS_PORT: '0',
  };
  const clock = { offsetSeconds: 0 };
  const config = { ...loadUiConfig(env), now: () => Math.floor(Date.now() / 1000) + clock.offsetSeconds };
  const ui = await createUiServer(config, { log: createLogger({ service: 'mcp-ui', level: options.quiet ?? true ? 'silent' : 'info' }) }).listen(0, '127.0.0.1');
  gateway.setUiTarget(ui.url);
  return {
    provider,
    gateway,
    mcp,
    ui,
    publicUrl: gateway.url,
    clock,
    taskEvents,
    env,
    async close() {
      await ui.close();
      await gateway.close();
      await provider.close();
      await mcp.close();
    },
  };
}
