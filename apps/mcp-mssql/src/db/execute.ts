/**
 * Read-only execution: every query runs inside a transaction that is always rolled back, after
 * `SET LOCK_TIMEOUT`, with rows streamed (`request.stream = true`). Rows are kept up to a row cap and
 * a byte cap while they arrive; the first row that would pass either cancels the request, so a large
 * result is never loaded whole. A timer cancels the request when the query runs too long, and so
 * does the caller's abort signal.
 */
import type { DriverError, DriverPool, DriverRequest, MssqlDriver } from './driver.ts';
import { ToolError, toToolError, type ErrorContext } from './errors.ts';
import { shapeColumns, shapeRow, shapedBytes, type ResultColumn } from './shape.ts';

/** A value a named parameter may take. */
export type ParameterValue = string | number | boolean | null;

/** One result set. */
export interface QueryResult {
  columns: ResultColumn[];
  /** Rows as arrays, values in column order. */
  rows: unknown[][];
}

/** All result sets of one request, and whether rows were cut at the cap. */
export interface QueryOutcome {
  results: QueryResult[];
  /** Rows kept, over all result sets. */
  rowCount: number;
  /** True when the result went past a cap; the request was then cancelled. */
  truncated: boolean;
  /** Which cap ended it, when `truncated`. */
  truncatedBy?: 'rows' | 'bytes';
}

/** What to run. `sql` must already have passed the gate (or be built by the catalog module). */
export interface ReadOnlyQuery {
  sql: string;
  params?: Record<string, ParameterValue>;
  /** Rows kept at most, over all result sets. */
  maxRows: number;
  /** Bytes of values kept at most, over all result sets (as shaped: text in UTF-8, binary as shown); default no cap. */
  maxBytes?: number;
  /** Aborting cancels the request (the MCP client cancelled the call). */
  signal?: AbortSignal;
}

/** Limits applied to every query. */
export interface ExecutionSettings extends ErrorContext {
  queryTimeoutMs: number;
  lockTimeoutMs: number;
}

/** Reports a rollback that failed; the query result is still returned. */
export type WarningSink = (message: string, fields: Record<string, string | number | undefined>) => void;

type StopReason = 'row-limit' | 'byte-limit' | 'timeout' | 'aborted';

interface StreamOutcome {
  results: QueryResult[];
  rowCount: number;
  stop: StopReason | undefined;
  error: DriverError | undefined;
}

/** The batch actually sent: the lock timeout, then the query (on its own line, so error lines stay close). */
export function withLockTimeout(sql: string, lockTimeoutMs: number): string {
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new RangeError('lockTimeoutMs must be a whole number >= 0');
  return `SET LOCK_TIMEOUT ${lockTimeoutMs};\n${sql}`;
}

/** Caps of one streamed request. */
export interface StreamLimits {
  maxRows: number;
  maxBytes: number;
  timeoutMs: number;
}

/** Runs one streamed request, keeping at most `maxRows` rows and `maxBytes` bytes, cancelling on a cap, timeout or abort. */
export function streamRows(request: DriverRequest, text: string, limits: StreamLimits, signal?: AbortSignal): Promise<StreamOutcome> {
  const { maxRows, maxBytes, timeoutMs } = limits;
  return new Promise((resolve) => {
    const results: QueryResult[] = [];
    let current: QueryResult | undefined;
    let rowCount = 0;
    let byteCount = 0;
    let stop: StopReason | undefined;
    let error: DriverError | undefined;

    const cancel = (reason: StopReason): void => {
      if (stop !== undefined) return;
      stop = reason;
      request.cancel();
    };
    const timer = setTimeout(() => cancel('timeout'), timeoutMs);
    const onAbort = (): void => cancel('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    request.stream = true;
    request.arrayRowMode = true;
    request.on('recordset', (columns) => {
      if (stop !== undefined) return;
      current = { columns: shapeColumns(columns), rows: [] };
      results.push(current);
    });
    request.on('row', (row) => {
      if (stop !== undefined || current === undefined) return;
      if (rowCount >= maxRows) {
        cancel('row-limit');
        return;
      }
      // Shaping cuts binary values before they are copied; a row that would pass the byte cap is not kept.
      const shaped = shapeRow(row, current.columns);
      const bytes = shapedBytes(shaped);
      if (byteCount + bytes > maxBytes) {
        cancel('byte-limit');
        return;
      }
      current.rows.push(shaped);
      rowCount += 1;
      byteCount += bytes;
    });
    request.on('error', (err) => {
      error ??= err;
    });

    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ results, rowCount, stop, error });
    };
    if (signal?.aborted) cancel('aborted');
    // In stream mode the promise resolves after `done`, errors having gone to `error`.
    request.query(text).then(finish, (err: DriverError) => {
      error ??= err;
      finish();
    });
  });
}

function outcomeOf(stream: StreamOutcome, settings: ExecutionSettings): QueryOutcome {
  const { stop, error } = stream;
  if (stop === 'timeout') {
    throw new ToolError('timeout', `the query ran longer than ${settings.queryTimeoutMs} ms and was cancelled`);
  }
  if (stop === 'aborted') throw new ToolError('cancelled', 'the query was cancelled by the client');
  const capped = stop === 'row-limit' || stop === 'byte-limit';
  // After our own cancel at a cap the driver reports ECANCEL: that is the expected end.
  if (error !== undefined && !(capped && error.code === 'ECANCEL')) throw toToolError(error, settings);
  if (!capped) return { results: stream.results, rowCount: stream.rowCount, truncated: false };
  return { results: stream.results, rowCount: stream.rowCount, truncated: true, truncatedBy: stop === 'row-limit' ? 'rows' : 'bytes' };
}

function isExpectedRollbackError(error: DriverError): boolean {
  // EABORT: the server already rolled back; ENOTBEGUN: nothing to roll back.
  return error.code === 'EABORT' || error.code === 'ENOTBEGUN';
}

/** Runs a query read-only: BEGIN TRANSACTION, SET LOCK_TIMEOUT, the query (streamed, capped), ROLLBACK. */
export async function runReadOnly(
  driver: MssqlDriver,
  pool: DriverPool,
  query: ReadOnlyQuery,
  settings: ExecutionSettings,
  warn: WarningSink = () => undefined,
): Promise<QueryOutcome> {
  const transaction = new driver.Transaction(pool);
  try {
    await transaction.begin(driver.ISOLATION_LEVEL.READ_COMMITTED);
  } catch (error) {
    throw toToolError(error, settings);
  }
  try {
    const request = new driver.Request(transaction, { requestTimeout: settings.queryTimeoutMs + 1_000 });
    for (const [name, value] of Object.entries(query.params ?? {})) request.input(name, value);
    const limits = { maxRows: query.maxRows, maxBytes: query.maxBytes ?? Number.POSITIVE_INFINITY, timeoutMs: settings.queryTimeoutMs };
    const stream = await streamRows(request, withLockTimeout(query.sql, settings.lockTimeoutMs), limits, query.signal);
    return outcomeOf(stream, settings);
  } finally {
    await transaction.rollback().catch((error: DriverError) => {
      if (!isExpectedRollbackError(error)) warn('rollback failed', { code: error.code, message: error.message });
    });
  }
}
