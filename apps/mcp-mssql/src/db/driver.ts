/**
 * The part of the `mssql` driver (v12, tedious underneath) this app uses, as an interface, so the
 * real driver runs in production and a stand-in following the same contract runs in tests.
 * Shapes follow mssql 12: `new Request(parent, { requestTimeout })`, `request.stream = true` with
 * events `recordset` (column metadata), `row`, `error` and `done`; in stream mode `query()` resolves
 * after `done` even when an `error` was emitted. `cancel()`, `pause()` and `resume()` as mssql defines them.
 */
import { createRequire } from 'node:module';

/** Column metadata as mssql emits it on `recordset` (arrayRowMode: an array, else keyed by name). */
export interface DriverColumn {
  index: number;
  name: string;
  /** An mssql type: a function whose `declaration` is the T-SQL type name, e.g. "nvarchar". */
  type?: { declaration?: string; name?: string } | ((...args: never[]) => unknown);
  length?: number;
  precision?: number;
  scale?: number;
  nullable?: boolean;
}

/** What mssql passes to `done` in stream mode. */
export interface DriverDoneInfo {
  rowsAffected?: number[];
}

/** Errors carry a `name` (ConnectionError, RequestError, TransactionError), a `code` and, from the server, a `number`. */
export interface DriverError extends Error {
  code?: string;
  number?: number;
  originalError?: unknown;
}

/** mssql `Request`. */
export interface DriverRequest {
  stream: boolean;
  arrayRowMode: boolean;
  input(name: string, value: unknown): DriverRequest;
  query(command: string): Promise<unknown>;
  cancel(): boolean;
  pause(): boolean;
  resume(): boolean;
  on(event: 'recordset', listener: (columns: DriverColumn[] | Record<string, DriverColumn>) => void): DriverRequest;
  on(event: 'row', listener: (row: unknown[] | Record<string, unknown>) => void): DriverRequest;
  on(event: 'error', listener: (error: DriverError) => void): DriverRequest;
  on(event: 'done', listener: (info: DriverDoneInfo) => void): DriverRequest;
  on(event: 'info', listener: (info: { message: string; number?: number }) => void): DriverRequest;
}

/** mssql `ConnectionPool`. */
export interface DriverPool {
  readonly connected: boolean;
  connect(): Promise<DriverPool>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: DriverError) => void): DriverPool;
}

/** mssql `Transaction`. */
export interface DriverTransaction {
  begin(isolationLevel?: number): Promise<unknown>;
  rollback(): Promise<void>;
}

/** mssql pool configuration, the subset this app sets. */
export interface DriverPoolConfig {
  server: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
  authentication?: { type: string; options: Record<string, unknown> };
  connectionTimeout: number;
  requestTimeout: number;
  pool: { max: number; min: number; idleTimeoutMillis: number; acquireTimeoutMillis: number };
  options: { encrypt: boolean; trustServerCertificate: boolean; appName: string; abortTransactionOnError: boolean };
}

/** The mssql module, as far as this app uses it. */
export interface MssqlDriver {
  ConnectionPool: new (config: DriverPoolConfig) => DriverPool;
  Transaction: new (pool: DriverPool) => DriverTransaction;
  Request: new (parent: DriverPool | DriverTransaction, overrides?: { requestTimeout?: number }) => DriverRequest;
  ISOLATION_LEVEL: { READ_COMMITTED: number };
}

/** Loads the real driver (CommonJS) on first use, so tests with a stand-in never load tedious. */
export function loadMssqlDriver(): MssqlDriver {
  const require = createRequire(import.meta.url);
  return require('mssql') as MssqlDriver;
}
