/**
 * Configuration of one run: environment variables (docs/contracts.md, "hubspot-token-cronjob") and the
 * credential files in CREDENTIALS_DIR. Everything the program reads from its environment is listed in
 * `ENV_VARIABLES` and `CREDENTIAL_FILES`; the contract test checks the rendered CronJob against them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configError } from './errors.ts';

/** How a variable reaches the container in the rendered CronJob. */
export type EnvSource = 'value' | 'fieldRef:metadata.namespace';

/** One environment variable the program reads. */
export interface EnvVariable {
  name: string;
  /** Must be set (no default). */
  required: boolean;
  /** Rendered only when the registry entry asks for a restart. */
  restartOnly: boolean;
  source: EnvSource;
  /** Used when the variable is absent (for optional ones). */
  defaultValue?: string;
}

/** Every variable the program reads (besides KUBECONFIG, a by-hand override, see the README). */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'TOKEN_PROVIDER', required: false, restartOnly: false, source: 'value', defaultValue: 'hubspot' },
  { name: 'TOKEN_URL', required: false, restartOnly: false, source: 'value' },
  { name: 'CREDENTIALS_DIR', required: true, restartOnly: false, source: 'value' },
  { name: 'CREDENTIALS_SECRET_NAME', required: true, restartOnly: false, source: 'value' },
  { name: 'ACCESS_TOKEN_SECRET_NAME', required: true, restartOnly: false, source: 'value' },
  { name: 'POD_NAMESPACE', required: true, restartOnly: false, source: 'fieldRef:metadata.namespace' },
  { name: 'RESTART_KIND', required: false, restartOnly: true, source: 'value' },
  { name: 'RESTART_NAME', required: false, restartOnly: true, source: 'value' },
  { name: 'HTTP_TIMEOUT_MS', required: false, restartOnly: false, source: 'value', defaultValue: '10000' },
  { name: 'MAX_ATTEMPTS', required: false, restartOnly: false, source: 'value', defaultValue: '5' },
];

/** Files read from CREDENTIALS_DIR, which are keys of the credentials Secret. */
export const CREDENTIAL_FILES = {
  clientId: 'client-id',
  clientSecret: 'client-secret',
  refreshToken: 'refresh-token',
} as const;

/** Keys the program writes, per Secret. It never touches other keys. */
export const OWNED_KEYS = {
  accessTokenSecret: { accessToken: 'access-token', expiresAt: 'expires-at' },
  credentialsSecret: { refreshToken: CREDENTIAL_FILES.refreshToken },
} as const;

/** Workload kinds the program can restart. */
export const RESTART_KINDS = ['StatefulSet', 'Deployment'] as const;
export type RestartKind = (typeof RESTART_KINDS)[number];

/** The workload to restart after a new access token, when configured. */
export interface RestartTarget {
  kind: RestartKind;
  name: string;
}

/** Validated configuration of one run. */
export interface Config {
  provider: string;
  /** Undefined: the provider's default endpoint. */
  tokenUrl: string | undefined;
  credentialsDir: string;
  credentialsSecretName: string;
  accessTokenSecretName: string;
  namespace: string;
  restart: RestartTarget | undefined;
  httpTimeoutMs: number;
  maxAttempts: number;
}

/** The OAuth client and its current refresh token, read from the mounted Secret. */
export interface Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

type Env = Record<string, string | undefined>;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (value) return value;
  return ENV_VARIABLES.find((v) => v.name === name)?.defaultValue;
}

function positiveInteger(env: Env, name: string, max: number, problems: string[]): number {
  const text = read(env, name) ?? '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    problems.push(`${name} must be an integer from 1 to ${max}, got "${text}"`);
    return 1;
  }
  return value;
}

function objectName(env: Env, name: string, pattern: RegExp, problems: string[]): string {
  const value = read(env, name);
  if (value === undefined) problems.push(`${name} is required`);
  else if (!pattern.test(value)) problems.push(`${name} "${value}" is not a valid Kubernetes name`);
  return value ?? '';
}

function restartTarget(env: Env, problems: string[]): RestartTarget | undefined {
  const kind = read(env, 'RESTART_KIND');
  const name = read(env, 'RESTART_NAME');
  if (kind === undefined && name === undefined) return undefined;
  if (kind === undefined || name === undefined) {
    problems.push('RESTART_KIND and RESTART_NAME must be set together (or neither)');
    return undefined;
  }
  if (!(RESTART_KINDS as readonly string[]).includes(kind)) {
    problems.push(`RESTART_KIND must be one of ${RESTART_KINDS.join(', ')}, got "${kind}"`);
    return undefined;
  }
  if (!DNS_SUBDOMAIN.test(name)) problems.push(`RESTART_NAME "${name}" is not a valid Kubernetes name`);
  return { kind: kind as RestartKind, name };
}

function tokenUrl(env: Env, problems: string[]): string | undefined {
  const value = read(env, 'TOKEN_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`TOKEN_URL "${value}" is not a URL`);
    return undefined;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`TOKEN_URL must use https (plain http only on loopback), got "${url.protocol}"`);
  }
  return value;
}

/** Reads and validates the environment; throws a config error (exit 2) listing every problem at once. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const credentialsDir = read(env, 'CREDENTIALS_DIR');
  if (credentialsDir === undefined) problems.push('CREDENTIALS_DIR is required');
  const config: Config = {
    provider: read(env, 'TOKEN_PROVIDER') ?? 'hubspot',
    tokenUrl: tokenUrl(env, problems),
    credentialsDir: credentialsDir ?? '',
    credentialsSecretName: objectName(env, 'CREDENTIALS_SECRET_NAME', DNS_SUBDOMAIN, problems),
    accessTokenSecretName: objectName(env, 'ACCESS_TOKEN_SECRET_NAME', DNS_SUBDOMAIN, problems),
    namespace: objectName(env, 'POD_NAMESPACE', DNS_LABEL, problems),
    restart: restartTarget(env, problems),
    httpTimeoutMs: positiveInteger(env, 'HTTP_TIMEOUT_MS', 120_000, problems),
    maxAttempts: positiveInteger(env, 'MAX_ATTEMPTS', 10, problems),
  };
  if (config.credentialsSecretName && config.credentialsSecretName === config.accessTokenSecretName) {
    problems.push('CREDENTIALS_SECRET_NAME and ACCESS_TOKEN_SECRET_NAME must name different Secrets');
  }
  if (problems.length > 0) throw configError(`invalid configuration: ${problems.join('; ')}`);
  return config;
}

/** Reads the three credential files (trailing newlines trimmed); throws a config error naming what is wrong. */
export async function readCredentials(dir: string): Promise<Credentials> {
  const problems: string[] = [];
  const readOne = async (file: string): Promise<string> => {
    try {
      const value = (await readFile(join(dir, file), 'utf8')).trim();
      if (value === '') problems.push(`${join(dir, file)} is empty`);
      return value;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(code === 'ENOENT' ? `${join(dir, file)} does not exist (key "${file}" missing from the credentials Secret?)` : `${join(dir, file)} cannot be read (${code ?? 'error'})`);
      return '';
    }
  };
  const [clientId, clientSecret, refreshToken] = await Promise.all([
    readOne(CREDENTIAL_FILES.clientId),
    readOne(CREDENTIAL_FILES.clientSecret),
    readOne(CREDENTIAL_FILES.refreshToken),
  ]);
  if (problems.length > 0) throw configError(`invalid credentials: ${problems.join('; ')}`);
  return { clientId, clientSecret, refreshToken };
}
