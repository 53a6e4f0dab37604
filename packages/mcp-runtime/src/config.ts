import { LOG_LEVELS } from '@mcp-gateway/telemetry';
import type { EndpointKind, RuntimeConfig } from './types.ts';

/** The defaults of docs/contracts.md ("Every MCP server"). */
export const DEFAULT_RUNTIME_CONFIG: Readonly<RuntimeConfig> = Object.freeze({
  port: 8000,
  host: '0.0.0.0',
  mcpPath: '/mcp',
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  allowedOrigins: [],
  maxBodyBytes: 1_048_576,
  maxInflightRequests: 64,
  maxInflightBytes: 8_388_608,
  endpoint: 'fast',
  shutdownTimeoutMs: 10_000,
  logLevel: 'info',
  toolLockFile: undefined,
});

const ENDPOINTS: readonly EndpointKind[] = ['fast', 'sdk'];

/** Thrown for a malformed environment variable; the message names the variable and the problem. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Splits a comma-separated list, trimming and dropping empty entries. */
export function parseList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Lower-cases a host allow-list entry and drops a port (`Host:8000` → `host`); keeps IPv6 brackets. */
export function normalizeHostEntry(entry: string): string {
  const lower = entry.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/** Normalizes an origin allow-list entry to `scheme://host[:port]` (no trailing slash), or throws. */
export function normalizeOriginEntry(entry: string, variable = 'MCP_ALLOWED_ORIGINS'): string {
  if (entry === '*') throw new ConfigError(`${variable} must list origins; "*" is not allowed`);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new ConfigError(`${variable}: "${entry}" is not an origin like https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${variable}: "${entry}" must use http or https`);
  }
  return url.origin;
}

function readPath(env: NodeJS.ProcessEnv): string {
  const raw = env.MCP_PATH?.trim();
  if (raw === undefined || raw === '') return DEFAULT_RUNTIME_CONFIG.mcpPath;
  if (!raw.startsWith('/') || /[\s?#]/.test(raw)) throw new ConfigError(`MCP_PATH must be a path starting with "/", got "${raw}"`);
  if (raw === '/healthz' || raw === '/readyz' || raw === '/metrics') throw new ConfigError(`MCP_PATH must not be ${raw}`);
  return raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
}

/** METRICS_PORT: unset or empty serves /metrics on PORT; set, on that port alone (never the same as PORT). */
function readMetricsPort(env: NodeJS.ProcessEnv): Pick<RuntimeConfig, 'metricsPort'> {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT.trim() === '') return {};
  const metricsPort = readInteger(env, 'METRICS_PORT', 0, 0, 65_535);
  if (metricsPort !== 0 && metricsPort === readInteger(env, 'PORT', DEFAULT_RUNTIME_CONFIG.port, 0, 65_535)) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (both ${metricsPort}); leave it unset to serve /metrics on PORT`);
  }
  return { metricsPort };
}

function readChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** One body must fit the in-flight byte budget, or it could never be served. */
function checkBudgets(config: RuntimeConfig, bodyName: string, inflightName: string): RuntimeConfig {
  if (config.maxInflightBytes < config.maxBodyBytes) {
    throw new ConfigError(`${inflightName} (${config.maxInflightBytes}) must be at least ${bodyName} (${config.maxBodyBytes})`);
  }
  return config;
}

/** Reads the runtime settings from the environment (docs/contracts.md); throws ConfigError on a bad value. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const hostsRaw = env.MCP_ALLOWED_HOSTS;
  return checkBudgets({
    port: readInteger(env, 'PORT', DEFAULT_RUNTIME_CONFIG.port, 0, 65_535),
    ...readMetricsPort(env),
    host: env.HOST?.trim() || DEFAULT_RUNTIME_CONFIG.host,
    mcpPath: readPath(env),
    allowedHosts:
      hostsRaw === undefined || hostsRaw.trim() === ''
        ? [...DEFAULT_RUNTIME_CONFIG.allowedHosts]
        : parseList(hostsRaw).map(normalizeHostEntry),
    allowedOrigins: parseList(env.MCP_ALLOWED_ORIGINS).map((entry) => normalizeOriginEntry(entry)),
    maxBodyBytes: readInteger(env, 'MCP_MAX_BODY_BYTES', DEFAULT_RUNTIME_CONFIG.maxBodyBytes, 1, 1_073_741_824),
    maxInflightRequests: readInteger(env, 'MCP_MAX_INFLIGHT_REQUESTS', DEFAULT_RUNTIME_CONFIG.maxInflightRequests, 1, 1_000_000),
    maxInflightBytes: readInteger(env, 'MCP_MAX_INFLIGHT_BYTES', DEFAULT_RUNTIME_CONFIG.maxInflightBytes, 1, 17_179_869_184),
    endpoint: readChoice(env, 'MCP_ENDPOINT', ENDPOINTS, DEFAULT_RUNTIME_CONFIG.endpoint),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', DEFAULT_RUNTIME_CONFIG.shutdownTimeoutMs, 0, 3_600_000),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, DEFAULT_RUNTIME_CONFIG.logLevel),
    toolLockFile: env.MCP_TOOL_LOCK_FILE?.trim() || undefined,
  }, 'MCP_MAX_BODY_BYTES', 'MCP_MAX_INFLIGHT_BYTES');
}

/** Completes a partial config (tests, in-process starts) with the defaults, normalizing the lists. */
export function resolveRuntimeConfig(partial: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const merged = { ...DEFAULT_RUNTIME_CONFIG, ...partial };
  // A test that lowers only maxInflightBytes keeps a body limit that fits it.
  const maxBodyBytes = partial.maxBodyBytes ?? Math.min(merged.maxBodyBytes, merged.maxInflightBytes);
  return checkBudgets({
    ...merged,
    maxBodyBytes,
    allowedHosts: merged.allowedHosts.map(normalizeHostEntry),
    allowedOrigins: merged.allowedOrigins.map((entry) => normalizeOriginEntry(entry, 'allowedOrigins')),
  }, 'maxBodyBytes', 'maxInflightBytes');
}
