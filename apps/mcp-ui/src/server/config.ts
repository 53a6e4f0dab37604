import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Everything the UI server needs; `loadUiConfig(env)` reads it as docs/contracts.md ("mcp-ui") says. */
export interface UiConfig {
  /** PORT (default 3000; 0 = any free port). */
  port: number;
  /** METRICS_PORT: /metrics is served on this port only; unset, nowhere (the public port never serves it). */
  metricsPort?: number;
  /** Interface to listen on (HOST, default 0.0.0.0; tests use 127.0.0.1). */
  host: string;
  /** PUBLIC_URL: the external origin the browser sees; the redirect URI is publicUrl + /auth/callback. */
  publicUrl: URL;
  /** OIDC_ISSUER: the OpenID provider (discovery at /.well-known/openid-configuration). */
  issuer: URL;
  /** OIDC_CLIENT_ID. */
  clientId: string;
  /** Read from OIDC_CLIENT_SECRET_FILE. */
  clientSecret: string;
  /** OIDC_SCOPES, split on spaces. */
  scopes: string[];
  /** Read from SESSION_KEY_FILE: the secret every replica shares to seal the sign-in cookie and the session records. */
  sessionKey: string;
  /**
   * SESSION_STORE_URL (redis:// or rediss://, an ACL user name allowed, never a password), with the password from
   * SESSION_STORE_PASSWORD_FILE and a CA from SESSION_STORE_CA_FILE. Unset: sessions stay in this process (one replica only).
   */
  sessionStore?: { url: URL; password?: string; ca?: string };
  /** GATEWAY_URL: where /mcp/<name> is reached, with the user's access token. */
  gatewayUrl: URL;
  /** CATALOG_FILE: the server catalog (ConfigMap mcp-ui-catalog). */
  catalogFile: string;
  /** Folder of the built page (vite build output). */
  distDir: string;
  /** Refresh the access token when fewer than this many seconds are left. */
  refreshSkewSeconds: number;
  /** Absolute lifetime of a session cookie. */
  sessionMaxAgeSeconds: number;
  /** The clock (seconds since the epoch); tests move it forward to exercise token refresh. */
  now: () => number;
}

const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

/** A configuration problem, named so the operator can fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is required (see docs/contracts.md, mcp-ui)`);
  return value;
}

function parseUrl(name: string, value: string): URL {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

function readSecretFile(name: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const value = text.trim();
  if (!value) throw new ConfigError(`${name}: ${path} is empty`);
  return value;
}

function parsePort(value: string | undefined, name = 'PORT', fallback = 3000): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${name} must be 0..65535, got ${value}`);
  return port;
}

function parseMetricsPort(env: NodeJS.ProcessEnv): Pick<UiConfig, 'metricsPort'> {
  if (!env.METRICS_PORT?.trim()) return {};
  const metricsPort = parsePort(env.METRICS_PORT.trim(), 'METRICS_PORT');
  if (metricsPort !== 0 && metricsPort === parsePort(env.PORT)) throw new ConfigError(`METRICS_PORT must differ from PORT (both ${metricsPort})`);
  return { metricsPort };
}

function parseSessionStore(env: NodeJS.ProcessEnv): UiConfig['sessionStore'] {
  const text = env.SESSION_STORE_URL?.trim();
  if (!text) {
    if (env.SESSION_STORE_PASSWORD_FILE?.trim() || env.SESSION_STORE_CA_FILE?.trim()) throw new ConfigError('SESSION_STORE_PASSWORD_FILE and SESSION_STORE_CA_FILE need SESSION_STORE_URL');
    return undefined;
  }
  const url = URL.parse(text);
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
    throw new ConfigError('SESSION_STORE_URL must be a redis:// or rediss:// URL with a host');
  }
  if (url.password) throw new ConfigError('SESSION_STORE_URL must not carry a password: put it in the file SESSION_STORE_PASSWORD_FILE names');
  const caFile = env.SESSION_STORE_CA_FILE?.trim();
  if (caFile && url.protocol !== 'rediss:') throw new ConfigError('SESSION_STORE_CA_FILE is for rediss:// (TLS) only');
  const passwordFile = env.SESSION_STORE_PASSWORD_FILE?.trim();
  return {
    url,
    ...(passwordFile ? { password: readSecretFile('SESSION_STORE_PASSWORD_FILE', passwordFile) } : {}),
    ...(caFile ? { ca: readSecretFile('SESSION_STORE_CA_FILE', caFile) } : {}),
  };
}

/** Reads the configuration from the environment and the mounted Secret files; throws ConfigError on bad input. */
export function loadUiConfig(env: NodeJS.ProcessEnv = process.env): UiConfig {
  const publicUrl = parseUrl('PUBLIC_URL', required(env, 'PUBLIC_URL'));
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash) {
    throw new ConfigError(`PUBLIC_URL must be an origin without a path, got ${publicUrl.href}`);
  }
  if (publicUrl.protocol === 'http:' && !isLoopbackHost(publicUrl.hostname)) {
    throw new ConfigError(`PUBLIC_URL must be https (plain http is for loopback only), got ${publicUrl.href}`);
  }
  const sessionKey = readSecretFile('SESSION_KEY_FILE', required(env, 'SESSION_KEY_FILE'));
  if (sessionKey.length < 32) throw new ConfigError('SESSION_KEY_FILE must hold at least 32 characters');
  const scopes = (env.OIDC_SCOPES?.trim() || 'openid profile offline_access').split(/\s+/);
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES must include openid');
  const sessionStore = parseSessionStore(env);
  return {
    port: parsePort(env.PORT),
    ...parseMetricsPort(env),
    host: env.HOST?.trim() || '0.0.0.0',
    publicUrl,
    issuer: parseUrl('OIDC_ISSUER', required(env, 'OIDC_ISSUER')),
    clientId: required(env, 'OIDC_CLIENT_ID'),
    clientSecret: readSecretFile('OIDC_CLIENT_SECRET_FILE', required(env, 'OIDC_CLIENT_SECRET_FILE')),
    scopes,
    sessionKey,
    ...(sessionStore ? { sessionStore } : {}),
    gatewayUrl: parseUrl('GATEWAY_URL', required(env, 'GATEWAY_URL')),
    catalogFile: required(env, 'CATALOG_FILE'),
    distDir: DEFAULT_DIST_DIR,
    refreshSkewSeconds: 120,
    sessionMaxAgeSeconds: 12 * 60 * 60,
    now: () => Math.floor(Date.now() / 1000),
  };
}

/** True for 127.0.0.0/8, localhost and [::1]: the only hosts allowed over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Cookies are Secure unless the public origin is plain http (loopback tests only). */
export function cookiesAreSecure(config: Pick<UiConfig, 'publicUrl'>): boolean {
  return config.publicUrl.protocol === 'https:';
}
