/**
 * STAND-IN FOR THE `mssql` DRIVER (v12, on tedious) AND THE SQL SERVER BEHIND IT.
 * No SQL Server exists on this machine, so tests inject this module where production loads
 * `require('mssql')`. It follows the driver's documented interfaces and the behaviour read in
 * mssql 12's sources (lib/base/request.js, lib/tedious/request.js, lib/tedious/transaction.js):
 * - `new ConnectionPool(config)`, `connect()` (fails with ConnectionError ELOGIN / ESOCKET), `close()`;
 * - `new Transaction(pool)`, `begin(isolationLevel)`, `rollback()`, `commit()`;
 * - `new Request(parent, { requestTimeout })`, `input(name, value)`, `query(sql)`;
 *   with `stream = true`: events `recordset` (column metadata; an array when `arrayRowMode`),
 *   `row`, `error`, then `done`, and `query()` resolves after `done` even when `error` was emitted;
 *   without stream: resolves `{ recordset, recordsets }` or rejects;
 * - `cancel()`: the request stops and reports RequestError ECANCEL "Canceled."; rows already on
 *   the wire may still arrive first (`rowsAfterCancel`); the driver's own request timeout reports
 *   RequestError ETIMEOUT; `pause()`/`resume()` only act in stream mode and hold rows while paused.
 * SQL text is not executed: a handler scripts each batch's reply and every batch is recorded.
 */
import { EventEmitter } from 'node:events';
import type {
  DriverColumn,
  DriverPool,
  DriverPoolConfig,
  DriverRequest,
  DriverTransaction,
  MssqlDriver,
} from '../../src/db/driver.ts';

/** Errors shaped like mssql's (name, code, number from the server). */
export class StandInError extends Error {
  code: string;
  number?: number;
  constructor(name: 'RequestError' | 'ConnectionError' | 'TransactionError', message: string, code: string, number?: number) {
    super(message);
    this.name = name;
    this.code = code;
    if (number !== undefined) this.number = number;
  }
}

/** A server error as tedious reports it (errorMessage token → RequestError EREQUEST with its number). */
export function serverError(number: number, message: string): StandInError {
  return new StandInError('RequestError', message, 'EREQUEST', number);
}

/** One scripted result set; rows may be produced lazily (a generator), to show they are not all read. */
export interface ScriptedResultSet {
  columns: Array<{ name: string; type: string; nullable?: boolean }>;
  rows: Iterable<unknown[]>;
}

/** What the stand-in server answers to one batch. */
export type Reply =
  | { resultSets: ScriptedResultSet[] }
  | { error: StandInError; afterResultSets?: ScriptedResultSet[] }
  /** Never finishes by itself: only cancel() or the driver's request timeout ends it. */
  | { hang: true };

/** A batch as the server received it. */
export interface ReceivedBatch {
  sql: string;
  params: Record<string, unknown>;
  inTransaction: boolean;
  stream: boolean;
  requestTimeout?: number;
}

/** The scripted server: its handler answers batches; counters and logs let tests check what happened. */
export class StandInServer {
  handler: (batch: ReceivedBatch) => Reply = () => ({ resultSets: [] });
  /** When set, `pool.connect()` fails with this error. */
  connectError: StandInError | undefined;
  /** Rows the server still sends after a cancel (already on the wire). */
  rowsAfterCancel = 0;
  readonly batches: ReceivedBatch[] = [];
  readonly events: string[] = [];
  readonly poolConfigs: DriverPoolConfig[] = [];
  rowsSent = 0;
  cancels = 0;

  /** Convenience: answer batches whose SQL contains `needle`. */
  on(needle: string | RegExp, reply: Reply | ((batch: ReceivedBatch) => Reply)): this {
    const previous = this.handler;
    this.handler = (batch) => {
      const hit = typeof needle === 'string' ? batch.sql.includes(needle) : needle.test(batch.sql);
      if (!hit) return previous(batch);
      return typeof reply === 'function' ? reply(batch) : reply;
    };
    return this;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function columnsFor(set: ScriptedResultSet, arrayRowMode: boolean): DriverColumn[] | Record<string, DriverColumn> {
  const list: DriverColumn[] = set.columns.map((c, index) => ({
    index,
    name: c.name,
    type: Object.assign(() => undefined, { declaration: c.type }),
    nullable: c.nullable ?? true,
  }));
  return arrayRowMode ? list : Object.fromEntries(list.map((c) => [c.name, c]));
}

function rowFor(set: ScriptedResultSet, row: unknown[], arrayRowMode: boolean): unknown[] | Record<string, unknown> {
  return arrayRowMode ? row : Object.fromEntries(set.columns.map((c, i) => [c.name, row[i]]));
}

/** Builds the stand-in module around one scripted server. */
export function createMssqlStandIn(server: StandInServer): MssqlDriver {
  class ConnectionPool extends EventEmitter implements DriverPool {
    connected = false;
    readonly config: DriverPoolConfig;
    constructor(config: DriverPoolConfig) {
      super();
      this.config = config;
      server.poolConfigs.push(config);
    }
    async connect(): Promise<DriverPool> {
      await tick();
      server.events.push('connect');
      if (server.connectError !== undefined) throw server.connectError;
      this.connected = true;
      return this;
    }
    async close(): Promise<void> {
      server.events.push('pool-close');
      this.connected = false;
    }
  }

  class Transaction implements DriverTransaction {
    readonly pool: ConnectionPool;
    begun = false;
    constructor(pool: DriverPool) {
      this.pool = pool as ConnectionPool;
    }
    async begin(isolationLevel?: number): Promise<unknown> {
      await tick();
      if (!this.pool.connected) throw new StandInError('ConnectionError', 'Connection is closed.', 'ECONNCLOSED');
      server.events.push(`begin:${isolationLevel ?? 'default'}`);
      this.begun = true;
      return this;
    }
    async rollback(): Promise<void> {
      await tick();
      if (!this.begun) throw new StandInError('TransactionError', 'Transaction has not begun. Call begin() first.', 'ENOTBEGUN');
      server.events.push('rollback');
      this.begun = false;
    }
    async commit(): Promise<void> {
      server.events.push('commit');
      this.begun = false;
    }
  }

  class Request extends EventEmitter {
    stream = false;
    arrayRowMode = false;
    canceled = false;
    private paused = false;
    private resumeWaiters: Array<() => void> = [];
    private cancelWaiters: Array<() => void> = [];
    private readonly params: Record<string, unknown> = {};
    private readonly parent: ConnectionPool | Transaction;
    private readonly requestTimeout: number | undefined;

    constructor(parent: DriverPool | DriverTransaction, overrides: { requestTimeout?: number } = {}) {
      super();
      this.parent = parent as ConnectionPool | Transaction;
      this.requestTimeout = overrides.requestTimeout;
    }

    input(name: string, value: unknown): DriverRequest {
      this.params[name] = value;
      return this as unknown as DriverRequest;
    }

    cancel(): boolean {
      server.cancels += 1;
      server.events.push('cancel');
      this.canceled = true;
      for (const wake of this.cancelWaiters.splice(0)) wake();
      for (const wake of this.resumeWaiters.splice(0)) wake();
      return true;
    }

    pause(): boolean {
      if (!this.stream) return false;
      this.paused = true;
      return true;
    }

    resume(): boolean {
      if (!this.stream) return false;
      this.paused = false;
      for (const wake of this.resumeWaiters.splice(0)) wake();
      return true;
    }

    async query(sql: string): Promise<unknown> {
      const inTransaction = this.parent instanceof Transaction;
      const batch: ReceivedBatch = {
        sql,
        params: { ...this.params },
        inTransaction,
        stream: this.stream,
        ...(this.requestTimeout === undefined ? {} : { requestTimeout: this.requestTimeout }),
      };
      server.batches.push(batch);
      await tick();
      const pool = inTransaction ? (this.parent as Transaction).pool : (this.parent as ConnectionPool);
      const collected: unknown[][] = []; // one array of rows per result set (non-stream mode)
      let failure: StandInError | undefined;
      const fail = (error: StandInError): void => {
        failure ??= error;
        if (this.stream) this.emit('error', error);
      };
      if (!pool.connected) fail(new StandInError('ConnectionError', 'Connection is closed.', 'ECONNCLOSED'));
      else await this.play(server.handler(batch), collected, fail);
      if (this.stream) {
        this.emit('done', { rowsAffected: [] });
        return { recordsets: [], rowsAffected: [] };
      }
      if (failure !== undefined) throw failure;
      return { recordsets: collected, recordset: collected[0] };
    }

    private async play(reply: Reply, collected: unknown[][], fail: (error: StandInError) => void): Promise<void> {
      if ('hang' in reply) {
        const outcome = await this.waitForCancelOrTimeout();
        fail(outcome === 'timeout' ? new StandInError('RequestError', `Timeout: Request failed to complete in ${this.requestTimeout}ms`, 'ETIMEOUT') : canceled());
        return;
      }
      const sets = 'resultSets' in reply ? reply.resultSets : (reply.afterResultSets ?? []);
      for (const set of sets) {
        const stopped = await this.playSet(set, collected);
        if (stopped) {
          fail(canceled());
          return;
        }
      }
      if ('error' in reply) fail(reply.error);
      else if (this.canceled) fail(canceled());
    }

    /** Sends one result set; returns true when a cancel stopped it. */
    private async playSet(set: ScriptedResultSet, collected: unknown[][]): Promise<boolean> {
      if (this.stream) this.emit('recordset', columnsFor(set, this.arrayRowMode));
      const recordset: unknown[] = [];
      collected.push(recordset);
      let afterCancel = 0;
      for (const row of set.rows) {
        if (this.canceled) {
          if (afterCancel >= server.rowsAfterCancel) return true;
          afterCancel += 1;
        }
        while (this.paused && !this.canceled) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
        server.rowsSent += 1;
        if (this.stream) this.emit('row', rowFor(set, row, this.arrayRowMode));
        else recordset.push(rowFor(set, row, this.arrayRowMode));
        await tick();
      }
      return this.canceled;
    }

    private waitForCancelOrTimeout(): Promise<'cancel' | 'timeout'> {
      return new Promise((resolve) => {
        if (this.canceled) return resolve('cancel');
        const timer = this.requestTimeout === undefined ? undefined : setTimeout(() => resolve('timeout'), this.requestTimeout);
        this.cancelWaiters.push(() => {
          clearTimeout(timer);
          resolve('cancel');
        });
      });
    }
  }

  const canceled = (): StandInError => new StandInError('RequestError', 'Canceled.', 'ECANCEL');

  return {
    ConnectionPool,
    Transaction,
    Request: Request as unknown as MssqlDriver['Request'],
    ISOLATION_LEVEL: { READ_COMMITTED: 2 },
  };
}

/** Rows produced on demand, so a test can show that only the rows read were ever made. */
export function* generatedRows(count: number, make: (i: number) => unknown[]): Generator<unknown[]> {
  for (let i = 0; i < count; i += 1) yield make(i);
}
