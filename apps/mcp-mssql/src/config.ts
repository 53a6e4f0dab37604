/**
 * Settings of mcp-mssql, read from the environment (docs/contracts.md, section mcp-mssql).
 * Secrets are never read here: only the paths of the mounted login files.
 */

/** How the server signs in to SQL Server. */
export type MssqlAuthConfig =
  | {
      /** A SQL login whose user name and password are read from mounted files when the pool is made. */
      kind: 'sql-login';
      userFile: string;
      passwordFile: string;
    }
  | {
      /** Entra ID through tedious's credential-based type: a token is asked for on every new connection. */
      kind: 'entra-workload-identity';
      /** The workload identity's client id (AZURE_CLIENT_ID), when set. */
      clientId?: string;
    };

/** Everything the app needs to reach SQL Server and bound each query. */
export interface MssqlConfig {
  /** Host name of the SQL Server; undefined when none is configured (the app then reports not ready). */
  server?: string;
  port: number;
  database?: string;
  auth: MssqlAuthConfig;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** Rows kept per result; more rows cancel the query and mark the result truncated. */
  rowLimit: number;
  /** Bytes of values kept per result (text in UTF-8); a row that would pass it cancels the query the same way. */
  resultByteLimit: number;
  /** Per query; the query is cancelled when it runs longer. */
  queryTimeoutMs: number;
  /** `SET LOCK_TIMEOUT` inside every read. */
  lockTimeoutMs: number;
  /** Time allowed to open a connection (and to sign in). */
  connectTimeoutMs: number;
  /** Time allowed to the readiness probe (`SELECT 1`). */
  readyTimeoutMs: number;
  /** How long a readiness answer is reused. */
  readyCacheMs: number;
  /** Connections kept by the pool at most. */
  poolMax: number;
}

export const DEFAULTS = {
  port: 1433,
  rowLimit: 1000,
  // Well under what an MCP client takes in one tool result; the result is sent twice (text and structuredContent).
  resultByteLimit: 4 * 1024 * 1024,
  queryTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  connectTimeoutMs: 15_000,
  // Below the kubelet's readiness probe timeout (2 s as rendered), so /readyz answers before it gives up.
  readyTimeoutMs: 1_500,
  readyCacheMs: 5_000,
  poolMax: 10,
  userFile: '/var/run/secrets/mssql/username',
  passwordFile: '/var/run/secrets/mssql/password',
} as const;

/** Every variable this app reads (docs/contracts.md, mcp-mssql), besides the runtime's own. */
export const MSSQL_ENV_VARIABLES = [
  'MSSQL_SERVER',
  'MSSQL_PORT',
  'MSSQL_DATABASE',
  'MSSQL_AUTH',
  'MSSQL_USER_FILE',
  'MSSQL_PASSWORD_FILE',
  'MSSQL_ENCRYPT',
  'MSSQL_TRUST_SERVER_CERTIFICATE',
  'MSSQL_ROW_LIMIT',
  'MSSQL_QUERY_TIMEOUT_MS',
  'MSSQL_LOCK_TIMEOUT_MS',
  'AZURE_CLIENT_ID',
] as const;

/** Thrown when a variable holds a value the app cannot use; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function auth(env: NodeJS.ProcessEnv): MssqlAuthConfig {
  const kind = text(env, 'MSSQL_AUTH') ?? 'sql-login';
  if (kind === 'sql-login') {
    return {
      kind,
      userFile: text(env, 'MSSQL_USER_FILE') ?? DEFAULTS.userFile,
      passwordFile: text(env, 'MSSQL_PASSWORD_FILE') ?? DEFAULTS.passwordFile,
    };
  }
  if (kind === 'entra-workload-identity') {
    const clientId = text(env, 'AZURE_CLIENT_ID');
    return clientId === undefined ? { kind } : { kind, clientId };
  }
  throw new ConfigError(`MSSQL_AUTH must be "sql-login" or "entra-workload-identity", got "${kind}"`);
}

/** Reads the settings; throws ConfigError naming the variable when a value is unusable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MssqlConfig {
  const server = text(env, 'MSSQL_SERVER');
  const database = text(env, 'MSSQL_DATABASE');
  return {
    ...(server === undefined ? {} : { server }),
    ...(database === undefined ? {} : { database }),
    port: integer(env, 'MSSQL_PORT', DEFAULTS.port, 1, 65_535),
    auth: auth(env),
    encrypt: flag(env, 'MSSQL_ENCRYPT', true),
    trustServerCertificate: flag(env, 'MSSQL_TRUST_SERVER_CERTIFICATE', false),
    rowLimit: integer(env, 'MSSQL_ROW_LIMIT', DEFAULTS.rowLimit, 1, 100_000),
    resultByteLimit: DEFAULTS.resultByteLimit,
    queryTimeoutMs: integer(env, 'MSSQL_QUERY_TIMEOUT_MS', DEFAULTS.queryTimeoutMs, 1, 3_600_000),
    lockTimeoutMs: integer(env, 'MSSQL_LOCK_TIMEOUT_MS', DEFAULTS.lockTimeoutMs, 0, 3_600_000),
    connectTimeoutMs: DEFAULTS.connectTimeoutMs,
    readyTimeoutMs: DEFAULTS.readyTimeoutMs,
    readyCacheMs: DEFAULTS.readyCacheMs,
    poolMax: DEFAULTS.poolMax,
  };
}
