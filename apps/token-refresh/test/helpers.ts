/** Shared test set-up: temp credential files, a KubeConfig pointing at the stand-in, a capturing logger. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../src/config.ts';
import { createLogger, SecretValues, type Logger } from '@mcp-gateway/telemetry';

export const NAMESPACE = 'agentgateway-system';
export const CLIENT_ID = 'client-id-1a2b3c';
export const CLIENT_SECRET = 'client-secret-very-secret-4d5e6f';
export const REFRESH_TOKEN = 'rt-initial-0123456789abcdef0123456789abcdef';
export const SA_TOKEN = 'service-account-token-7890';

/** Writes the three credential files into a fresh directory (like the mounted Secret). */
export async function credentialsDir(files: Partial<Record<'client-id' | 'client-secret' | 'refresh-token', string>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'token-refresh-'));
  const contents = { 'client-id': CLIENT_ID, 'client-secret': CLIENT_SECRET, 'refresh-token': `${REFRESH_TOKEN}\n`, ...files };
  for (const [name, value] of Object.entries(contents)) await writeFile(join(dir, name), value);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A KubeConfig for the stand-in: plain http on loopback, bearer-token auth. */
export function kubeConfigFor(server: string, token: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'stand-in', server, skipTLSVerify: true }],
    users: [{ name: 'refresher', token }],
    contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'refresher', namespace: NAMESPACE }],
    currentContext: 'stand-in',
  });
  return kubeConfig;
}

/** The configuration the rendered CronJob gives, with test endpoints. */
export function testConfig(overrides: Partial<Config> & Pick<Config, 'credentialsDir' | 'tokenUrl'>): Config {
  return {
    provider: 'hubspot',
    credentialsSecretName: 'hubspot-oauth-credentials',
    accessTokenSecretName: 'hubspot-access-token',
    namespace: NAMESPACE,
    restart: undefined,
    httpTimeoutMs: 2_000,
    maxAttempts: 5,
    ...overrides,
  };
}

/** A logger that keeps its lines. */
export function capturingLogger(): { log: Logger; secrets: SecretValues; lines: string[]; events: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const secrets = new SecretValues();
  const log = createLogger({ service: 'token-refresh', level: 'debug', secrets, write: (line) => lines.push(line) });
  return { log, secrets, lines, events: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A sleep that records the wanted delays and returns at once (no timed waits in tests). */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
