/**
 * The server's settings, read from the environment (docs/contracts.md, section mcp-hubspot).
 * Pure: `loadConfig(env)` never touches the file system, so bad values fail at start with a clear message.
 */

/** Bounds of the HubSpot client's retries (429 and 5xx). */
export interface RetrySettings {
  /** Attempts per request, the first one included (>= 1). */
  maxAttempts: number;
  /** The longest single wait the client accepts; a 429 asking for more fails at once. */
  maxWaitMs: number;
  /** First backoff after a 5xx or a network error; doubles each time, capped by maxWaitMs. */
  baseBackoffMs: number;
}

/** Everything the HubSpot MCP server needs besides the runtime's own settings. */
export interface HubSpotConfig {
  /** HUBSPOT_ACCESS_TOKEN_FILE: the mounted Secret's file, re-read when it changes. */
  accessTokenFile: string | undefined;
  /** HUBSPOT_ACCESS_TOKEN: fallback for local use when no file is configured or the file is absent. */
  accessToken: string | undefined;
  /** HUBSPOT_BASE_URL, without a trailing slash. */
  baseUrl: string;
  /** HUBSPOT_API_VERSION: a date version such as `2026-03`, or `v3`. */
  apiVersion: string;
  /** HUBSPOT_READ_ONLY: when true the write tools are not registered at all. */
  readOnly: boolean;
  /** HUBSPOT_REQUEST_TIMEOUT_MS: per HTTP request to HubSpot. */
  requestTimeoutMs: number;
  /** HUBSPOT_MAX_ATTEMPTS, HUBSPOT_MAX_RETRY_WAIT_MS, HUBSPOT_RETRY_BASE_MS. */
  retry: RetrySettings;
}

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';
export const DEFAULT_API_VERSION = '2026-03';

/** `v3` or a date version `YYYY-MM`. */
const API_VERSION_PATTERN = /^(v3|\d{4}-(0[1-9]|1[0-2]))$/;

/** Reads and validates the settings; throws an Error naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubSpotConfig {
  const apiVersion = nonEmpty(env.HUBSPOT_API_VERSION) ?? DEFAULT_API_VERSION;
  if (!API_VERSION_PATTERN.test(apiVersion)) {
    throw new Error(`HUBSPOT_API_VERSION must be a date version such as 2026-03, or v3; got "${apiVersion}"`);
  }
  return {
    accessTokenFile: nonEmpty(env.HUBSPOT_ACCESS_TOKEN_FILE),
    accessToken: nonEmpty(env.HUBSPOT_ACCESS_TOKEN),
    baseUrl: parseBaseUrl(nonEmpty(env.HUBSPOT_BASE_URL) ?? DEFAULT_BASE_URL),
    apiVersion,
    readOnly: parseBoolean('HUBSPOT_READ_ONLY', env.HUBSPOT_READ_ONLY, false),
    requestTimeoutMs: parseInteger('HUBSPOT_REQUEST_TIMEOUT_MS', env.HUBSPOT_REQUEST_TIMEOUT_MS, 30_000, 1),
    retry: {
      maxAttempts: parseInteger('HUBSPOT_MAX_ATTEMPTS', env.HUBSPOT_MAX_ATTEMPTS, 4, 1),
      maxWaitMs: parseInteger('HUBSPOT_MAX_RETRY_WAIT_MS', env.HUBSPOT_MAX_RETRY_WAIT_MS, 11_000, 0),
      baseBackoffMs: parseInteger('HUBSPOT_RETRY_BASE_MS', env.HUBSPOT_RETRY_BASE_MS, 250, 0),
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`HUBSPOT_BASE_URL is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`HUBSPOT_BASE_URL must be http(s); got "${url.protocol}"`);
  }
  if (url.search || url.hash) throw new Error('HUBSPOT_BASE_URL must not carry a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new Error(`${name} must be true or false; got "${value}"`);
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number): number {
  const v = nonEmpty(value);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} must be an integer >= ${min}; got "${value}"`);
  return Number(v);
}
