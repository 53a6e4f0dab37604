// Settings from the environment (docs/contracts.md), the login files, the lazy pool and readiness,
// with the mssql stand-in (test/support/mssql-stand-in.ts) in place of the driver and SQL Server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type MssqlConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/database.ts';
import { ToolError } from '../src/db/errors.ts';
import { buildPoolConfig } from '../src/db/pool.ts';
import { createMssqlStandIn, StandInError, StandInServer } from './support/mssql-stand-in.ts';

const dir = mkdtempSync(join(tmpdir(), 'mcp-mssql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loginFiles(user: string, password: string): { MSSQL_USER_FILE: string; MSSQL_PASSWORD_FILE: string } {
  const sub = mkdtempSync(join(dir, 'login-'));
  writeFileSync(join(sub, 'username'), `${user}\n`);
  writeFileSync(join(sub, 'password'), password);
  return { MSSQL_USER_FILE: join(sub, 'username'), MSSQL_PASSWORD_FILE: join(sub, 'password') };
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 1433,
      encrypt: true,
      trustServerCertificate: false,
      rowLimit: 1000,
      queryTimeoutMs: 30_000,
      lockTimeoutMs: 5_000,
      auth: { kind: 'sql-login', userFile: '/var/run/secrets/mssql/username', passwordFile: '/var/run/secrets/mssql/password' },
    });
    expect(config.server).toBeUndefined();
  });

  it('reads the rendered variables', () => {
    const config = loadConfig({
      MSSQL_SERVER: 'sql.example.internal',
      MSSQL_PORT: '14330',
      MSSQL_DATABASE: 'sales',
      MSSQL_AUTH: 'entra-workload-identity',
      AZURE_CLIENT_ID: 'client-1',
      MSSQL_ENCRYPT: 'true',
      MSSQL_TRUST_SERVER_CERTIFICATE: 'true',
      MSSQL_ROW_LIMIT: '250',
      MSSQL_QUERY_TIMEOUT_MS: '10000',
      MSSQL_LOCK_TIMEOUT_MS: '0',
    });
    expect(config).toMatchObject({
      server: 'sql.example.internal',
      port: 14330,
      database: 'sales',
      auth: { kind: 'entra-workload-identity', clientId: 'client-1' },
      trustServerCertificate: true,
      rowLimit: 250,
      queryTimeoutMs: 10_000,
      lockTimeoutMs: 0,
    });
  });

  it.each([
    [{ MSSQL_ROW_LIMIT: 'lots' }, /MSSQL_ROW_LIMIT must be a whole number/],
    [{ MSSQL_ROW_LIMIT: '0' }, /MSSQL_ROW_LIMIT must be between 1/],
    [{ MSSQL_PORT: '70000' }, /MSSQL_PORT must be between/],
    [{ MSSQL_ENCRYPT: 'maybe' }, /MSSQL_ENCRYPT must be true or false/],
    [{ MSSQL_AUTH: 'ntlm' }, /MSSQL_AUTH must be "sql-login" or "entra-workload-identity"/],
    [{ MSSQL_QUERY_TIMEOUT_MS: '-5' }, /MSSQL_QUERY_TIMEOUT_MS must be a whole number/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('pool configuration', () => {
  it('reads the SQL login from the mounted files (trailing newline dropped)', async () => {
    const config = loadConfig({ MSSQL_SERVER: 'db', MSSQL_DATABASE: 'sales', ...loginFiles('reader', 's3cret!') });
    expect(await buildPoolConfig(config)).toMatchObject({
      server: 'db',
      port: 1433,
      database: 'sales',
      user: 'reader',
      password: 's3cret!',
      options: { encrypt: true, trustServerCertificate: false, appName: 'mcp-mssql' },
    });
  });

  it('uses tedious azure-active-directory-default for Entra workload identity (a token per new connection)', async () => {
    const config = loadConfig({ MSSQL_SERVER: 'db', MSSQL_AUTH: 'entra-workload-identity', AZURE_CLIENT_ID: 'abc' });
    const pool = await buildPoolConfig(config);
    expect(pool.authentication).toEqual({ type: 'azure-active-directory-default', options: { clientId: 'abc' } });
    expect(pool.user).toBeUndefined();
    expect(pool.password).toBeUndefined();
  });

  it('names a missing login file without reading anything else', async () => {
    const config = loadConfig({ MSSQL_SERVER: 'db', MSSQL_USER_FILE: join(dir, 'nope'), MSSQL_PASSWORD_FILE: join(dir, 'nope2') });
    await expect(buildPoolConfig(config)).rejects.toThrow(`cannot read the SQL login user name file ${join(dir, 'nope')} (ENOENT)`);
  });
});

describe('database door', () => {
  function make(env: NodeJS.ProcessEnv, configure: (s: StandInServer) => void = () => undefined, now?: () => number) {
    const server = new StandInServer();
    configure(server);
    const config: MssqlConfig = loadConfig(env);
    let loads = 0;
    const db = createDatabase(config, {
      driver: () => {
        loads += 1;
        return createMssqlStandIn(server);
      },
      ...(now === undefined ? {} : { now }),
    });
    return { server, db, loads: () => loads };
  }

  it('makes the pool lazily, once, on first use', async () => {
    const { server, db, loads } = make({ MSSQL_SERVER: 'db', ...loginFiles('u', 'p') }, (s) =>
      s.on('SELECT', { resultSets: [{ columns: [{ name: 'one', type: 'int' }], rows: [[1]] }] }),
    );
    expect(loads()).toBe(0);
    expect(server.poolConfigs).toHaveLength(0);
    await Promise.all([db.run({ sql: 'SELECT 1', maxRows: 5 }), db.run({ sql: 'SELECT 1', maxRows: 5 })]);
    expect(server.poolConfigs).toHaveLength(1);
    expect(server.events.filter((e) => e === 'connect')).toHaveLength(1);
    await db.close();
    expect(server.events.at(-1)).toBe('pool-close');
  });

  it('says clearly when no server is configured, and is not ready', async () => {
    const { db, loads } = make({});
    await expect(db.run({ sql: 'SELECT 1', maxRows: 1 })).rejects.toThrow('no SQL Server is configured (MSSQL_SERVER is empty)');
    expect(await db.ready()).toBe(false);
    expect(loads()).toBe(0);
  });

  it('maps a failed sign-in, and reads the login files again on the next call', async () => {
    const files = loginFiles('reader', 'old');
    const { server, db } = make({ MSSQL_SERVER: 'db', ...files }, (s) => {
      s.connectError = new StandInError('ConnectionError', "Login failed for user 'reader'.", 'ELOGIN');
      s.on('SELECT', { resultSets: [] });
    });
    const error = await db.run({ sql: 'SELECT 1', maxRows: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).kind).toBe('login-failed');
    writeFileSync(files.MSSQL_PASSWORD_FILE, 'rotated');
    server.connectError = undefined;
    await db.run({ sql: 'SELECT 1', maxRows: 1 });
    expect(server.poolConfigs.map((c) => c.password)).toEqual(['old', 'rotated']);
  });

  it('is ready when SELECT 1 answers, caches the answer briefly, and is not ready when it fails', async () => {
    let clock = 0;
    const { server, db } = make(
      { MSSQL_SERVER: 'db', ...loginFiles('u', 'p') },
      (s) => s.on('SELECT 1', { resultSets: [{ columns: [{ name: '', type: 'int' }], rows: [[1]] }] }),
      () => clock,
    );
    expect(await db.ready()).toBe(true);
    expect(await db.ready()).toBe(true);
    expect(server.batches.filter((b) => b.sql === 'SELECT 1')).toHaveLength(1);
    expect(server.batches[0]).toMatchObject({ inTransaction: false, requestTimeout: 1500 });
    server.handler = () => ({ error: new StandInError('ConnectionError', 'Connection lost - read ECONNRESET', 'ESOCKET') });
    clock += 10_000;
    expect(await db.ready()).toBe(false);
  });

  it('is not ready when SELECT 1 does not answer within the probe timeout', async () => {
    const server = new StandInServer();
    server.on('SELECT 1', { hang: true });
    const config = { ...loadConfig({ MSSQL_SERVER: 'db', ...loginFiles('u', 'p') }), readyTimeoutMs: 20 };
    const db = createDatabase(config, { driver: () => createMssqlStandIn(server) });
    expect(await db.ready()).toBe(false);
  });

  it('is not ready when the server cannot be reached', async () => {
    const { db } = make({ MSSQL_SERVER: 'db', ...loginFiles('u', 'p') }, (s) => {
      s.connectError = new StandInError('ConnectionError', 'Failed to connect to db:1433', 'ESOCKET');
    });
    expect(await db.ready()).toBe(false);
  });
});
