// Read-only execution against the mssql stand-in (test/support/mssql-stand-in.ts stands in for the
// mssql driver and SQL Server): transaction always rolled back, lock timeout, streaming row cap with
// cancel, query timeout with cancel, client abort, result shaping and error mapping.
import { describe, expect, it } from 'vitest';
import type { DriverPool } from '../src/db/driver.ts';
import { ToolError } from '../src/db/errors.ts';
import { runReadOnly, withLockTimeout, type ExecutionSettings, type ReadOnlyQuery } from '../src/db/execute.ts';
import { shapeRow } from '../src/db/shape.ts';
import { createMssqlStandIn, generatedRows, serverError, StandInError, StandInServer } from './support/mssql-stand-in.ts';

const settings: ExecutionSettings = { queryTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 15_000 };

async function setup(configure: (server: StandInServer) => void = () => undefined) {
  const server = new StandInServer();
  configure(server);
  const driver = createMssqlStandIn(server);
  const pool = new driver.ConnectionPool({} as never);
  await pool.connect();
  const run = (query: Partial<ReadOnlyQuery> & { sql: string }, overrides: Partial<ExecutionSettings> = {}) =>
    runReadOnly(driver, pool as DriverPool, { maxRows: 1000, ...query }, { ...settings, ...overrides });
  return { server, run };
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('read-only transaction', () => {
  it('begins READ COMMITTED, sends SET LOCK_TIMEOUT with the query in it, then rolls back (never commits)', async () => {
    const { server, run } = await setup((s) =>
      s.on('FROM dbo.Orders', { resultSets: [{ columns: [{ name: 'id', type: 'int' }], rows: [[1], [2]] }] }),
    );
    const outcome = await run({ sql: 'SELECT id FROM dbo.Orders WHERE c = @c', params: { c: 'x' } });
    expect(outcome).toEqual({
      results: [{ columns: [{ name: 'id', type: 'int', nullable: true }], rows: [[1], [2]] }],
      rowCount: 2,
      truncated: false,
    });
    expect(server.batches).toEqual([
      {
        sql: 'SET LOCK_TIMEOUT 5000;\nSELECT id FROM dbo.Orders WHERE c = @c',
        params: { c: 'x' },
        inTransaction: true,
        stream: true,
        requestTimeout: 31_000,
      },
    ]);
    expect(server.events).toEqual(['connect', 'begin:2', 'rollback']);
  });

  it('rolls back when the query fails too', async () => {
    const { server, run } = await setup((s) => s.on('SELECT', { error: serverError(208, "Invalid object name 'dbo.Nope'.") }));
    const error = await failure(run({ sql: 'SELECT * FROM dbo.Nope' }));
    expect(error.kind).toBe('unknown-name');
    expect(server.events).toEqual(['connect', 'begin:2', 'rollback']);
    expect(server.events).not.toContain('commit');
  });

  it('refuses a lock timeout that is not a whole number (it is pasted into the batch)', () => {
    expect(() => withLockTimeout('SELECT 1', 1.5)).toThrow(RangeError);
    expect(withLockTimeout('SELECT 1', 0)).toBe('SET LOCK_TIMEOUT 0;\nSELECT 1');
  });
});

describe('row cap while streaming', () => {
  it('keeps MSSQL_ROW_LIMIT rows, cancels on the next one and never reads the rest', async () => {
    const { server, run } = await setup((s) => {
      s.rowsAfterCancel = 3; // rows already on the wire when the cancel lands
      s.on('SELECT', {
        resultSets: [{ columns: [{ name: 'n', type: 'bigint' }], rows: generatedRows(1_000_000, (i) => [String(i)]) }],
      });
    });
    const outcome = await run({ sql: 'SELECT n FROM dbo.Big', maxRows: 50 });
    expect(outcome.truncated).toBe(true);
    expect(outcome.rowCount).toBe(50);
    expect(outcome.results[0]!.rows).toHaveLength(50);
    expect(outcome.results[0]!.rows[49]).toEqual(['49']);
    expect(server.cancels).toBe(1);
    // 50 kept + the one that tripped the cap + 3 in flight: the million were never produced.
    expect(server.rowsSent).toBe(54);
    expect(server.events.at(-1)).toBe('rollback');
  });

  it('is not truncated when the result has exactly the cap', async () => {
    const { server, run } = await setup((s) =>
      s.on('SELECT', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: generatedRows(10, (i) => [i]) }] }),
    );
    const outcome = await run({ sql: 'SELECT n FROM t', maxRows: 10 });
    expect(outcome).toMatchObject({ rowCount: 10, truncated: false });
    expect(server.cancels).toBe(0);
  });

  it('counts the cap over all result sets', async () => {
    const set = (name: string) => ({ columns: [{ name, type: 'int' }], rows: generatedRows(4, (i) => [i]) });
    const { run } = await setup((s) => s.on('SELECT', { resultSets: [set('a'), set('b')] }));
    const outcome = await run({ sql: 'SELECT a FROM t; SELECT b FROM u', maxRows: 6 });
    expect(outcome.results.map((r) => r.rows.length)).toEqual([4, 2]);
    expect(outcome.truncated).toBe(true);
  });
});

describe('byte cap while streaming', () => {
  const text = (bytes: number) => 'é'.repeat(bytes / 2); // two UTF-8 bytes each: the cap counts bytes, not characters

  it('keeps rows up to the byte cap, cancels on the row that would pass it and never reads the rest', async () => {
    const { server, run } = await setup((s) => {
      s.rowsAfterCancel = 2;
      s.on('SELECT', { resultSets: [{ columns: [{ name: 'doc', type: 'nvarchar' }], rows: generatedRows(1_000_000, () => [text(400)]) }] });
    });
    const outcome = await run({ sql: 'SELECT doc FROM dbo.Docs', maxBytes: 1_000 });
    expect(outcome).toMatchObject({ rowCount: 2, truncated: true, truncatedBy: 'bytes' });
    expect(server.cancels).toBe(1);
    // 2 kept + the one that tripped the cap + 2 in flight.
    expect(server.rowsSent).toBe(5);
    expect(server.events.at(-1)).toBe('rollback');
  });

  it('ends the query on one value larger than the whole cap, keeping none of it', async () => {
    const { server, run } = await setup((s) =>
      s.on('SELECT', { resultSets: [{ columns: [{ name: 'a', type: 'int' }, { name: 'doc', type: 'nvarchar' }], rows: [[1, 'small'], [2, text(2_000_000)], [3, 'never']] }] }),
    );
    const outcome = await run({ sql: 'SELECT a, doc FROM dbo.Docs', maxBytes: 1_000_000 });
    expect(outcome.results[0]!.rows).toEqual([[1, 'small']]);
    expect(outcome).toMatchObject({ truncated: true, truncatedBy: 'bytes' });
    expect(server.cancels).toBe(1);
  });

  it('counts binary values as shown, cut before they are copied', async () => {
    const { run } = await setup((s) =>
      s.on('SELECT', { resultSets: [{ columns: [{ name: 'blob', type: 'varbinary' }], rows: generatedRows(100, () => [Buffer.alloc(5_000_000, 0xab)]) }] }),
    );
    const outcome = await run({ sql: 'SELECT blob FROM dbo.Files', maxBytes: 10_000 });
    // 1 KiB shown as 2,048 hex digits plus the length: four rows fit in 10,000 bytes, not one 5 MB value.
    expect(outcome).toMatchObject({ rowCount: 4, truncated: true, truncatedBy: 'bytes' });
    expect(outcome.results[0]!.rows[0]![0]).toMatch(/^0x(AB){1024}… \(5000000 bytes\)$/);
  });

  it('reports the row cap as the cause when rows, not bytes, ran out', async () => {
    const { run } = await setup((s) => s.on('SELECT', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: generatedRows(10, (i) => [i]) }] }));
    expect(await run({ sql: 'SELECT n FROM t', maxRows: 3, maxBytes: 1_000_000 })).toMatchObject({ rowCount: 3, truncated: true, truncatedBy: 'rows' });
  });
});

describe('timeout and cancellation', () => {
  it('cancels a query that runs past MSSQL_QUERY_TIMEOUT_MS and says so', async () => {
    const { server, run } = await setup((s) => s.on('SELECT', { hang: true }));
    const error = await failure(run({ sql: 'SELECT * FROM dbo.Slow' }, { queryTimeoutMs: 25 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('the query ran longer than 25 ms and was cancelled');
    expect(server.cancels).toBe(1);
    expect(server.events.slice(-2)).toEqual(['cancel', 'rollback']);
  });

  it('cancels when the caller aborts (the MCP client cancelled the call)', async () => {
    const { server, run } = await setup((s) => s.on('SELECT', { hang: true }));
    const controller = new AbortController();
    const pending = run({ sql: 'SELECT 1', signal: controller.signal });
    setImmediate(() => controller.abort());
    const error = await failure(pending);
    expect(error.kind).toBe('cancelled');
    expect(server.cancels).toBe(1);
  });

  it('maps the driver-side request timeout (ETIMEOUT) to the same timeout error', async () => {
    const { run } = await setup((s) => s.on('SELECT', { error: new StandInError('RequestError', 'Timeout: Request failed to complete in 31000ms', 'ETIMEOUT') }));
    expect((await failure(run({ sql: 'SELECT 1' }))).kind).toBe('timeout');
  });
});

describe('error mapping', () => {
  const cases: Array<[string, StandInError, string, RegExp]> = [
    ['permission denied', serverError(229, "The SELECT permission was denied on the object 'Salaries', database 'hr', schema 'dbo'."), 'permission-denied', /^permission denied: The SELECT permission/],
    ['syntax error', serverError(102, "Incorrect syntax near 'FORM'."), 'syntax-error', /^syntax error: Incorrect syntax near 'FORM'/],
    ['lock timeout', serverError(1222, 'Lock request time out period exceeded.'), 'lock-timeout', /more than 5000 ms for a lock/],
    ['login failed', new StandInError('ConnectionError', "Login failed for user 'reader'.", 'ELOGIN'), 'login-failed', /^SQL Server refused the sign-in: Login failed for user 'reader'/],
    ['unreachable', new StandInError('ConnectionError', 'Failed to connect to db:1433 - getaddrinfo ENOTFOUND db', 'ESOCKET'), 'connection', /^cannot reach SQL Server: Failed to connect/],
    ['other server error', serverError(8134, 'Divide by zero error encountered.'), 'server-error', /^SQL Server error 8134: Divide by zero/],
  ];
  it.each(cases)('%s', async (_name, thrown, kind, message) => {
    const { run } = await setup((s) => s.on('SELECT', { error: thrown }));
    const error = await failure(run({ sql: 'SELECT 1' }));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it('reports a failure to begin the transaction', async () => {
    const server = new StandInServer();
    const driver = createMssqlStandIn(server);
    const pool = new driver.ConnectionPool({} as never); // never connected
    const error = await failure(runReadOnly(driver, pool, { sql: 'SELECT 1', maxRows: 1 }, settings));
    expect(error.kind).toBe('connection');
  });
});

describe('result shaping', () => {
  it('returns dates as ISO 8601, binary as hex, non-finite numbers as text, duplicate column names kept', async () => {
    const { run } = await setup((s) =>
      s.on('SELECT', {
        resultSets: [
          {
            columns: [
              { name: 'x', type: 'datetime2' },
              { name: 'x', type: 'varbinary' },
              { name: 'n', type: 'float', nullable: false },
              { name: 'big', type: 'varbinary' },
            ],
            rows: [[new Date('2026-11-24T01:02:03.004Z'), Buffer.from([0xde, 0xad]), Number.NaN, Buffer.alloc(2000)]],
          },
        ],
      }),
    );
    const { results } = await run({ sql: 'SELECT 1' });
    expect(results[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['x:datetime2', 'x:varbinary', 'n:float', 'big:varbinary']);
    const [date, bytes, nan, big] = results[0]!.rows[0]!;
    expect([date, bytes, nan]).toEqual(['2026-11-24T01:02:03.004Z', '0xDEAD', 'NaN']);
    expect(big).toMatch(/^0x0{2048}… \(2000 bytes\)$/);
  });

  it('reads the object row mssql builds from a chunked FOR JSON result (keyed by position in arrayRowMode)', () => {
    const columns = [{ name: 'JSON_F52E2B61-18A1-11d1-B105-00805F49916B', type: 'nvarchar' }];
    expect(shapeRow({ 0: '[{"id":1}]' }, columns)).toEqual(['[{"id":1}]']);
    expect(shapeRow({ 'JSON_F52E2B61-18A1-11d1-B105-00805F49916B': '[]' }, columns)).toEqual(['[]']);
  });
});
