/**
 * The connection pool, made on first use. The login files are read each time a pool is made, so a
 * rotated password is picked up after a failed sign-in (the failed pool is dropped). Entra ID uses
 * tedious's `azure-active-directory-default` type: tedious asks DefaultAzureCredential (which reads
 * the workload identity's AZURE_* variables) for a token on every new connection, so tokens renew.
 */
import { readFile } from 'node:fs/promises';
import type { MssqlConfig } from '../config.ts';
import type { DriverPool, DriverPoolConfig, MssqlDriver } from './driver.ts';
import { NotConfiguredError } from './errors.ts';

/** Reads a mounted secret file; the message names the file, never its content. */
async function readSecretFile(path: string, what: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new NotConfiguredError(`cannot read the SQL login ${what} file ${path} (${code})`);
  }
  const value = content.replace(/\r?\n$/, '');
  if (value === '') throw new NotConfiguredError(`the SQL login ${what} file ${path} is empty`);
  return value;
}

/** Builds the mssql pool configuration from the settings (reading the login files for `sql-login`). */
export async function buildPoolConfig(config: MssqlConfig): Promise<DriverPoolConfig> {
  if (config.server === undefined) throw new NotConfiguredError('no SQL Server is configured (MSSQL_SERVER is empty)');
  const base: DriverPoolConfig = {
    server: config.server,
    port: config.port,
    ...(config.database === undefined ? {} : { database: config.database }),
    connectionTimeout: config.connectTimeoutMs,
    // Each request also gets its own timeout; this is the driver's backstop.
    requestTimeout: config.queryTimeoutMs + 5_000,
    pool: { max: config.poolMax, min: 0, idleTimeoutMillis: 30_000, acquireTimeoutMillis: config.queryTimeoutMs },
    options: {
      encrypt: config.encrypt,
      trustServerCertificate: config.trustServerCertificate,
      appName: 'mcp-mssql',
      abortTransactionOnError: false,
    },
  };
  if (config.auth.kind === 'sql-login') {
    const user = await readSecretFile(config.auth.userFile, 'user name');
    const password = await readSecretFile(config.auth.passwordFile, 'password');
    return { ...base, user, password };
  }
  const options = config.auth.clientId === undefined ? {} : { clientId: config.auth.clientId };
  return { ...base, authentication: { type: 'azure-active-directory-default', options } };
}

/** Hands out one shared pool, made lazily; concurrent first callers share one connection attempt. */
export interface PoolProvider {
  get(): Promise<DriverPool>;
  /** Drops the pool (after a failed sign-in, say) so the next call makes a new one. */
  discard(pool: DriverPool): Promise<void>;
  close(): Promise<void>;
}

export function createPoolProvider(config: MssqlConfig, driver: () => MssqlDriver): PoolProvider {
  let current: Promise<DriverPool> | undefined;

  const connect = async (): Promise<DriverPool> => {
    const pool = new (driver().ConnectionPool)(await buildPoolConfig(config));
    // An idle connection that fails emits 'error' on the pool; without a listener Node would crash.
    pool.on('error', () => undefined);
    await pool.connect();
    return pool;
  };

  return {
    get() {
      if (current === undefined) {
        const attempt = connect();
        current = attempt;
        attempt.catch(() => {
          if (current === attempt) current = undefined;
        });
      }
      return current;
    },
    async discard(pool) {
      const attempt = current;
      if (attempt === undefined) return;
      const held = await attempt.catch(() => undefined);
      if (held !== pool) return;
      if (current === attempt) current = undefined;
      await pool.close().catch(() => undefined);
    },
    async close() {
      const attempt = current;
      current = undefined;
      const pool = await attempt?.catch(() => undefined);
      await pool?.close().catch(() => undefined);
    },
  };
}
