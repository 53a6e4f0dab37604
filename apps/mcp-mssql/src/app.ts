/** createApp: mcp-mssql's definition for the runtime (tests and the dev stack start it in-process). */
import type { McpAppDefinition } from '@mcp-gateway/mcp-runtime';
import type { MssqlConfig } from './config.ts';
import { createDatabase } from './db/database.ts';
import { loadMssqlDriver, type MssqlDriver } from './db/driver.ts';
import { createQueryGuard, type QueryGuard } from './guard/index.ts';
import { createLogger, type Logger } from '@mcp-gateway/telemetry';
import { registerTools } from './tools/index.ts';

export { loadConfig, type MssqlConfig } from './config.ts';

export const APP_NAME = 'mcp-mssql';
export const APP_VERSION = '0.1.0';

/** What tests (and only tests) replace. */
export interface AppDeps {
  /** The mssql module; default: the real driver, loaded on first use. */
  driver?: MssqlDriver;
  /** The app's log (default: JSON lines on stdout, level info); never SQL text, parameter values or credentials. */
  log?: Logger;
  /** Clock for the readiness cache. */
  now?: () => number;
  /** The run_query guard; default: one with the standard time budget. */
  guard?: QueryGuard;
}

export function createApp(config: MssqlConfig, deps: AppDeps = {}): McpAppDefinition {
  const log = deps.log ?? createLogger({ service: APP_NAME });
  const db = createDatabase(config, {
    driver: deps.driver === undefined ? loadMssqlDriver : () => deps.driver!,
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    ...(deps.now === undefined ? {} : { now: deps.now }),
  });
  const guard = deps.guard ?? createQueryGuard();
  const ctx = { db, guard, config, log };
  return {
    name: APP_NAME,
    version: APP_VERSION,
    instructions:
      'Read-only SQL Server tools. Start with list_schemas or list_tables, then describe_table and sample_rows; ' +
      `use run_query for one T-SQL SELECT with @name parameters (at most ${config.rowLimit} rows, ${config.queryTimeoutMs} ms).`,
    register(server) {
      registerTools(server, ctx);
    },
    ready: async () => {
      if (config.server === undefined) return { ready: false, reason: 'no SQL Server is configured (MSSQL_SERVER is empty)' };
      return (await db.ready()) ? true : { ready: false, reason: 'the SQL Server does not answer' };
    },
    close: async () => {
      await guard.close();
      await db.close();
    },
  };
}
