/**
 * The app's one door to SQL Server: lazy pool, read-only execution, readiness probe.
 */
import type { MssqlConfig } from '../config.ts';
import type { DriverError, MssqlDriver } from './driver.ts';
import { NotConfiguredError, ToolError, toToolError, type ErrorContext } from './errors.ts';
import { runReadOnly, type QueryOutcome, type ReadOnlyQuery, type WarningSink } from './execute.ts';
import { createPoolProvider } from './pool.ts';

/** What the tools and the readiness probe use. */
export interface Database {
  /** Runs a query read-only (transaction rolled back, lock timeout, row and byte caps, query timeout). */
  run(query: ReadOnlyQuery): Promise<QueryOutcome>;
  /** True when SQL Server answers `SELECT 1` within the probe's timeout; answers are reused briefly. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Returns the mssql module (the real one in production, a stand-in in tests). Called on first use. */
  driver: () => MssqlDriver;
  warn?: WarningSink;
  /** Clock for the readiness cache. */
  now?: () => number;
}

export function createDatabase(config: MssqlConfig, options: DatabaseOptions): Database {
  let driver: MssqlDriver | undefined;
  const getDriver = (): MssqlDriver => (driver ??= options.driver());
  const pools = createPoolProvider(config, getDriver);
  const warn = options.warn ?? (() => undefined);
  const now = options.now ?? Date.now;
  const context: ErrorContext & { queryTimeoutMs: number; lockTimeoutMs: number } = {
    queryTimeoutMs: config.queryTimeoutMs,
    lockTimeoutMs: config.lockTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
  };
  let readiness: { value: boolean; at: number } | undefined;
  let probing: Promise<boolean> | undefined;

  const probe = async (): Promise<boolean> => {
    try {
      const pool = await pools.get();
      const request = new (getDriver().Request)(pool, { requestTimeout: config.readyTimeoutMs });
      await request.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  };

  const probeWithin = (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    return Promise.race([probe(), late]).finally(() => clearTimeout(timer));
  };

  return {
    async run(query) {
      if (config.server === undefined) throw new NotConfiguredError('no SQL Server is configured (MSSQL_SERVER is empty)');
      let pool;
      try {
        pool = await pools.get();
      } catch (error) {
        throw toToolError(error, context);
      }
      try {
        return await runReadOnly(getDriver(), pool, { maxBytes: config.resultByteLimit, ...query }, context, warn);
      } catch (error) {
        const failure = error instanceof ToolError ? error : toToolError(error as DriverError, context);
        // A rotated password: drop the pool so the next call reads the login files again.
        if (failure.kind === 'login-failed') await pools.discard(pool);
        throw failure;
      }
    },
    async ready() {
      if (config.server === undefined) return false;
      if (readiness !== undefined && now() - readiness.at < config.readyCacheMs) return readiness.value;
      probing ??= probeWithin(config.readyTimeoutMs).then((value) => {
        readiness = { value, at: now() };
        probing = undefined;
        return value;
      });
      return probing;
    },
    close() {
      return pools.close();
    },
  };
}
