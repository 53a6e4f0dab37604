/**
 * Test harness: the HubSpot stand-in, a token directory laid out like a kubelet Secret volume, the app
 * started on the real runtime (loopback, port 0) and the official MCP client connected over HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { expect } from 'vitest';
import { writeVolume } from '../../../dev/volumes.ts';
import { createApp } from '../src/app.ts';
import type { HubSpotConfig } from '../src/config.ts';
import { createLogger, SecretValues, type Logger } from '@mcp-gateway/telemetry';
import { startHubSpotStandIn, type HubSpotStandIn } from '@mcp-gateway/stand-ins/hubspot';

/**
 * A directory shaped like a mounted Secret (dev/volumes.ts writes it as the kubelet does:
 * `access-token -> ..data/access-token`, `..data -> ..<stamp>`, swapped atomically on every write).
 */
export interface SecretVolume {
  dir: string;
  tokenFile: string;
  write(token: string): Promise<void>;
}

export async function createSecretVolume(initialToken: string): Promise<SecretVolume> {
  const dir = await mkdtemp(join(tmpdir(), 'hubspot-secret-'));
  const write = (token: string) =>
    writeVolume(dir, { 'access-token': token, 'expires-at': new Date(Date.now() + 30 * 60_000).toISOString() });
  await write(initialToken);
  return { dir, tokenFile: join(dir, 'access-token'), write };
}

export interface Harness {
  standIn: HubSpotStandIn;
  secret: SecretVolume;
  app: RunningMcpApp;
  client: Client;
  /** Every wait the HubSpot client asked for, in ms. */
  sleeps: number[];
  /** The app's logger (its lines land in logLines). */
  log: Logger;
  /** Every line the app and the runtime logged, as written. */
  logLines: string[];
  /** The same lines, parsed. */
  logRecords(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export const FIRST_TOKEN = 'pat-na1-first-token-0000';

/** Starts the stand-in, the app and a connected client. */
export async function startHarness(overrides: Partial<HubSpotConfig> = {}, standInVersion?: string): Promise<Harness> {
  const version = standInVersion ?? overrides.apiVersion ?? '2026-03';
  const standIn = await startHubSpotStandIn({ version, validTokens: [FIRST_TOKEN] });
  const secret = await createSecretVolume(FIRST_TOKEN);
  const sleeps: number[] = [];
  const logLines: string[] = [];
  const secrets = new SecretValues();
  const log = createLogger({ service: 'mcp-hubspot', level: 'debug', secrets, write: (line) => logLines.push(line) });
  const config: HubSpotConfig = {
    accessTokenFile: secret.tokenFile,
    accessToken: undefined,
    baseUrl: standIn.baseUrl,
    apiVersion: version,
    readOnly: false,
    requestTimeoutMs: 5_000,
    retry: { maxAttempts: 3, maxWaitMs: 2_000, baseBackoffMs: 5 },
    ...overrides,
  };
  const app = await startMcpApp(
    createApp(config, {
      log,
      secrets,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
      now: () => new Date('2026-11-24T10:00:00.000Z'),
    }),
    { port: 0, host: '127.0.0.1', logLevel: 'info' },
    { logSink: (line) => logLines.push(line) },
  );
  const client = new Client({ name: 'mcp-hubspot-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(app.url));
  return {
    standIn,
    secret,
    app,
    client,
    sleeps,
    log,
    logLines,
    logRecords: () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await client.close();
      await app.close();
      await standIn.close();
      await rm(secret.dir, { recursive: true, force: true });
    },
  };
}

/** Calls a tool and returns its structured content, failing the test on a tool error. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  const text = (result.content as Array<{ type: string; text?: string }>)[0]?.text ?? '';
  expect(JSON.parse(text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

/** Calls a tool that must fail and returns its error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');
}
