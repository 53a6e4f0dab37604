// Integration against a REAL SQL Server. Runs only when MSSQL_TEST_CONNECTION is set, e.g.
//   docker run -e ACCEPT_EULA=Y -e MSSQL_SA_PASSWORD='Str0ng!Passw0rd' -p 1433:1433 -d mcr.microsoft.com/mssql/server:2022-latest
//   MSSQL_TEST_CONNECTION='sqlserver://sa:Str0ng%21Passw0rd@127.0.0.1:1433/?trustServerCertificate=true' \
//     npx vitest run --project mcp-mssql test/integration.test.ts
// The connection must be an administrator's: the test creates a database (mcp_mssql_it, unless the
// URL names one), fixture tables and a login made with the README's read-only T-SQL, runs the app as
// that login through the official MCP client, and drops the login again.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpApp, type RunningMcpApp } from '@mcp-gateway/mcp-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { loadMssqlDriver, type DriverPool, type DriverPoolConfig, type MssqlDriver } from '../src/db/driver.ts';
import { runReadOnly } from '../src/db/execute.ts';
import { createLogger } from '@mcp-gateway/telemetry';

const silentLogger = createLogger({ service: 'mcp-mssql', level: 'silent' });

const connection = process.env['MSSQL_TEST_CONNECTION'];

interface Target {
  server: string;
  port: number;
  database: string;
  user: string;
  password: string;
  trustServerCertificate: boolean;
  encrypt: boolean;
}

/** `sqlserver://user:password@host:port/database?trustServerCertificate=true&encrypt=true` */
function parseConnection(url: string): Target {
  const parsed = new URL(url);
  const flag = (name: string, fallback: boolean): boolean => {
    const value = parsed.searchParams.get(name);
    return value === null ? fallback : value === 'true';
  };
  return {
    server: parsed.hostname,
    port: parsed.port === '' ? 1433 : Number(parsed.port),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'mcp_mssql_it',
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    trustServerCertificate: flag('trustServerCertificate', false),
    encrypt: flag('encrypt', true),
  };
}

describe.skipIf(connection === undefined)('integration with a real SQL Server (MSSQL_TEST_CONNECTION)', () => {
  const target = connection === undefined ? undefined : parseConnection(connection);
  const reader = 'mcp_it_reader';
  const readerPassword = `Mcp!${randomBytes(12).toString('hex')}aA1`;
  let dir = '';
  let driver: MssqlDriver;
  let admin: DriverPool;
  let app: RunningMcpApp;
  let client: Client;

  const adminConfig = (database: string): DriverPoolConfig => ({
    server: target!.server,
    port: target!.port,
    database,
    user: target!.user,
    password: target!.password,
    connectionTimeout: 15_000,
    requestTimeout: 60_000,
    pool: { max: 4, min: 0, idleTimeoutMillis: 10_000, acquireTimeoutMillis: 15_000 },
    options: { encrypt: target!.encrypt, trustServerCertificate: target!.trustServerCertificate, appName: 'mcp-mssql-it', abortTransactionOnError: false },
  });

  const exec = async (pool: DriverPool, sql: string): Promise<Array<Record<string, unknown>>> => {
    const result = (await new driver.Request(pool).query(sql)) as { recordset?: Array<Record<string, unknown>> };
    return result.recordset ?? [];
  };

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args });
    return { result, text: (result.content as Array<{ text: string }>)[0]!.text };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-mssql-it-'));
    driver = loadMssqlDriver();
    const master = await new driver.ConnectionPool(adminConfig('master')).connect();
    await exec(master, `IF DB_ID(N'${target!.database.replaceAll("'", "''")}') IS NULL CREATE DATABASE [${target!.database.replaceAll(']', ']]')}]`);
    await exec(master, `IF SUSER_ID(N'${reader}') IS NOT NULL DROP LOGIN [${reader}]`);
    // The README's read-only login, verbatim in shape.
    await exec(master, `CREATE LOGIN [${reader}] WITH PASSWORD = N'${readerPassword}', CHECK_POLICY = ON`);
    await master.close();

    admin = await new driver.ConnectionPool(adminConfig(target!.database)).connect();
    await exec(admin, `IF USER_ID(N'${reader}') IS NOT NULL DROP USER [${reader}]`);
    await exec(admin, `CREATE USER [${reader}] FOR LOGIN [${reader}] WITH DEFAULT_SCHEMA = dbo`);
    await exec(admin, `ALTER ROLE db_datareader ADD MEMBER [${reader}]`);
    await exec(admin, `DENY EXECUTE TO [${reader}]`);
    await exec(admin, `DENY VIEW DATABASE STATE TO [${reader}]`);
    await exec(admin, 'DROP TABLE IF EXISTS dbo.mcp_it_orders; DROP TABLE IF EXISTS dbo.mcp_it_secret');
    await exec(
      admin,
      `CREATE TABLE dbo.mcp_it_orders (id int IDENTITY(1,1) CONSTRAINT PK_mcp_it_orders PRIMARY KEY, customer nvarchar(50) NOT NULL, total decimal(10,2) NULL);
       CREATE INDEX IX_mcp_it_orders_customer ON dbo.mcp_it_orders (customer) INCLUDE (total);
       CREATE TABLE dbo.mcp_it_secret (id int PRIMARY KEY, salary int NOT NULL);`,
    );
    await exec(admin, `INSERT INTO dbo.mcp_it_orders (customer, total) SELECT TOP 30 CONCAT(N'c', ROW_NUMBER() OVER (ORDER BY object_id) % 3), 10.5 FROM sys.all_objects`);
    await exec(admin, `DENY SELECT ON dbo.mcp_it_secret TO [${reader}]`);

    writeFileSync(join(dir, 'username'), reader);
    writeFileSync(join(dir, 'password'), readerPassword);
    const config = loadConfig({
      MSSQL_SERVER: target!.server,
      MSSQL_PORT: String(target!.port),
      MSSQL_DATABASE: target!.database,
      MSSQL_USER_FILE: join(dir, 'username'),
      MSSQL_PASSWORD_FILE: join(dir, 'password'),
      MSSQL_ENCRYPT: String(target!.encrypt),
      MSSQL_TRUST_SERVER_CERTIFICATE: String(target!.trustServerCertificate),
      MSSQL_ROW_LIMIT: '1000',
      MSSQL_QUERY_TIMEOUT_MS: '3000',
      MSSQL_LOCK_TIMEOUT_MS: '500',
    });
    app = await startMcpApp(createApp(config, { log: silentLogger }), { port: 0, host: '127.0.0.1' }, { logSink: () => undefined });
    client = new Client({ name: 'mcp-mssql-it', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(app.url));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    if (admin !== undefined) {
      await exec(admin, 'DROP TABLE IF EXISTS dbo.mcp_it_orders; DROP TABLE IF EXISTS dbo.mcp_it_secret').catch(() => undefined);
      await exec(admin, `IF USER_ID(N'${reader}') IS NOT NULL DROP USER [${reader}]`).catch(() => undefined);
      await admin.close();
      const master = await new driver.ConnectionPool(adminConfig('master')).connect();
      await exec(master, `IF SUSER_ID(N'${reader}') IS NOT NULL DROP LOGIN [${reader}]`).catch(() => undefined);
      await master.close();
    }
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('is ready', async () => {
    expect((await fetch(new URL('/readyz', app.url))).status).toBe(200);
  });

  it('lists schemas and tables, describes a table', async () => {
    expect((await call('list_schemas')).result.structuredContent).toMatchObject({ schemas: expect.arrayContaining([expect.objectContaining({ schema: 'dbo' })]) });
    const tables = (await call('list_tables', { schema: 'dbo' })).result.structuredContent as { tables: Array<{ name: string }> };
    expect(tables.tables.map((t) => t.name)).toContain('mcp_it_orders');
    const described = JSON.parse((await call('describe_table', { table: 'mcp_it_orders' })).text);
    expect(described.columns).toEqual([
      { name: 'id', type: 'int', nullable: false, identity: true },
      { name: 'customer', type: 'nvarchar(50)', nullable: false },
      { name: 'total', type: 'decimal(10,2)', nullable: true },
    ]);
    expect(described.primaryKey).toEqual({ name: 'PK_mcp_it_orders', columns: ['id'] });
    expect(described.indexes).toContainEqual(expect.objectContaining({ name: 'IX_mcp_it_orders_customer', columns: ['customer'], included: ['total'] }));
  });

  it('samples rows and runs a parameterised query', async () => {
    const sample = (await call('sample_rows', { table: 'mcp_it_orders', limit: 5, columns: ['id', 'customer'] })).result.structuredContent as { rows: unknown[] };
    expect(sample.rows).toHaveLength(5);
    const query = await call('run_query', { sql: 'SELECT COUNT(*) AS n FROM dbo.mcp_it_orders WHERE customer = @c', params: { c: 'c1' } });
    expect(query.result.isError).toBeFalsy();
    expect((query.result.structuredContent as { rows: number[][] }).rows[0]![0]).toBe(10);
  });

  it('stops at the row cap and cancels', async () => {
    const body = (await call('run_query', { sql: 'SELECT a.object_id FROM sys.all_objects a CROSS JOIN sys.all_objects b' })).result.structuredContent as {
      rowCount: number;
      truncated: boolean;
    };
    expect(body).toMatchObject({ rowCount: 1000, truncated: true });
  });

  it('cancels a query past the timeout', async () => {
    const { text } = await call('run_query', {
      sql: 'SELECT COUNT_BIG(*) AS n FROM sys.all_objects a CROSS JOIN sys.all_objects b CROSS JOIN sys.all_objects c',
    });
    expect(text).toBe('error (timeout): the query ran longer than 3000 ms and was cancelled');
  });

  it('reports permission denied, unknown names, server errors and refusals clearly', async () => {
    expect((await call('run_query', { sql: 'SELECT * FROM dbo.mcp_it_secret' })).text).toMatch(/^error \(permission-denied\): permission denied: The SELECT permission was denied/);
    expect((await call('run_query', { sql: 'SELECT nope FROM dbo.mcp_it_orders' })).text).toBe("error (unknown-name): Invalid column name 'nope'.");
    expect((await call('run_query', { sql: "SELECT CONVERT(int, N'x') AS n" })).text).toMatch(/^error \(server-error\): SQL Server error 245: Conversion failed/);
    expect((await call('run_query', { sql: 'DELETE FROM dbo.mcp_it_orders' })).text).toMatch(/^error \(refused\)/);
  });

  it('rolls back whatever the statement did (the layer below the gate)', async () => {
    const before = await exec(admin, 'SELECT COUNT(*) AS n FROM dbo.mcp_it_orders');
    await runReadOnly(driver, admin, { sql: "INSERT INTO dbo.mcp_it_orders (customer) VALUES (N'ghost')", maxRows: 1 }, {
      queryTimeoutMs: 5_000,
      lockTimeoutMs: 500,
      connectTimeoutMs: 15_000,
    });
    expect(await exec(admin, 'SELECT COUNT(*) AS n FROM dbo.mcp_it_orders')).toEqual(before);
  });

  it('gives up on a lock held by a writer after MSSQL_LOCK_TIMEOUT_MS', async () => {
    const [{ rcsi }] = (await exec(admin, 'SELECT is_read_committed_snapshot_on AS rcsi FROM sys.databases WHERE database_id = DB_ID()')) as [{ rcsi: boolean }];
    if (rcsi) return; // readers are not blocked under READ_COMMITTED_SNAPSHOT (Azure SQL's default)
    const writer = new driver.Transaction(admin);
    await writer.begin(driver.ISOLATION_LEVEL.READ_COMMITTED);
    try {
      await new driver.Request(writer).query('UPDATE dbo.mcp_it_orders WITH (TABLOCKX) SET total = total');
      expect((await call('run_query', { sql: 'SELECT COUNT(*) FROM dbo.mcp_it_orders' })).text).toMatch(/^error \(lock-timeout\): the query waited more than 500 ms/);
    } finally {
      await writer.rollback();
    }
  });
});
