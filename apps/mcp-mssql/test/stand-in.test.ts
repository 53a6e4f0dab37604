// Checks that the mssql stand-in (test/support/mssql-stand-in.ts) behaves as the driver documents, so the
// other tests exercise the app against the driver's contract and not against a convenient fake.
import { describe, expect, it } from 'vitest';
import type { DriverRequest } from '../src/db/driver.ts';
import { createMssqlStandIn, generatedRows, serverError, StandInServer } from './support/mssql-stand-in.ts';

async function connected(configure: (server: StandInServer) => void) {
  const server = new StandInServer();
  configure(server);
  const driver = createMssqlStandIn(server);
  const pool = await new driver.ConnectionPool({} as never).connect();
  return { server, driver, pool };
}

function record(request: DriverRequest): string[] {
  const seen: string[] = [];
  request.on('recordset', () => seen.push('recordset'));
  request.on('row', (row) => seen.push(`row:${JSON.stringify(row)}`));
  request.on('error', (error) => seen.push(`error:${error.code}`));
  request.on('done', () => seen.push('done'));
  return seen;
}

describe('mssql stand-in', () => {
  it('streams recordset, rows, then done; query() resolves after done even with an error', async () => {
    const { driver, pool } = await connected((s) => s.on('SELECT', { error: serverError(208, 'Invalid object name'), afterResultSets: [] }));
    const request = new driver.Request(pool);
    request.stream = true;
    const seen = record(request);
    await request.query('SELECT 1');
    expect(seen).toEqual(['error:EREQUEST', 'done']);
  });

  it('rejects without stream mode, and resolves recordsets otherwise', async () => {
    const { driver, pool } = await connected((s) =>
      s.on('bad', { error: serverError(102, 'Incorrect syntax') }).on('good', { resultSets: [{ columns: [{ name: 'a', type: 'int' }], rows: [[1]] }] }),
    );
    await expect(new driver.Request(pool).query('bad')).rejects.toMatchObject({ name: 'RequestError', number: 102 });
    await expect(new driver.Request(pool).query('good')).resolves.toMatchObject({ recordset: [{ a: 1 }], recordsets: [[{ a: 1 }]] });
  });

  it('holds rows while paused and sends them after resume; pause() is false outside stream mode', async () => {
    const { server, driver, pool } = await connected((s) => s.on('SELECT', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: generatedRows(3, (i) => [i]) }] }));
    const idle = new driver.Request(pool);
    expect(idle.pause()).toBe(false);
    const request = new driver.Request(pool);
    request.stream = true;
    request.arrayRowMode = true;
    const seen = record(request);
    request.on('row', () => {
      if (seen.filter((s) => s.startsWith('row')).length === 1) {
        expect(request.pause()).toBe(true);
        setTimeout(() => {
          expect(server.rowsSent).toBe(1);
          request.resume();
        }, 20);
      }
    });
    await request.query('SELECT n');
    expect(seen).toEqual(['recordset', 'row:[0]', 'row:[1]', 'row:[2]', 'done']);
  });

  it('cancel() stops the rows and reports ECANCEL', async () => {
    const { driver, pool } = await connected((s) => s.on('SELECT', { resultSets: [{ columns: [{ name: 'n', type: 'int' }], rows: generatedRows(100, (i) => [i]) }] }));
    const request = new driver.Request(pool);
    request.stream = true;
    request.arrayRowMode = true;
    const seen = record(request);
    request.on('row', () => request.cancel());
    await request.query('SELECT n');
    expect(seen).toEqual(['recordset', 'row:[0]', 'error:ECANCEL', 'done']);
  });

  it('reports ETIMEOUT when the request runs past its requestTimeout', async () => {
    const { driver, pool } = await connected((s) => s.on('SELECT', { hang: true }));
    await expect(new driver.Request(pool, { requestTimeout: 10 }).query('SELECT 1')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });
});
