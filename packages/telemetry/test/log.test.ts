/** The logger: one JSON object per line in the shared shape, levels routed, and no credential in any line. */
import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel, REDACTED, SecretValues, type LogLevel } from '../src/index.ts';

function capture(options: { level?: LogLevel; secrets?: SecretValues } = {}) {
  const lines: Array<{ level: LogLevel; line: string }> = [];
  const log = createLogger({ service: 'test-service', write: (line, level) => lines.push({ level, line }), ...options });
  return { log, lines, records: () => lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per event: level, ISO time, service, the fields and msg', () => {
    const { log, lines, records } = capture();
    log.info({ status: 200, duration_ms: 1.5 }, 'mcp request');
    log.error({ exitCode: 3 }, 'refresh.failed');
    expect(lines.map((l) => l.level)).toEqual(['info', 'error']);
    expect(lines.every(({ line }) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    const [first] = records();
    expect(first).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'test-service', status: 200, duration_ms: 1.5, msg: 'mcp request' });
  });

  it('drops lines below its level; child loggers carry their fields (a caller, say)', () => {
    const { log, records } = capture({ level: 'warn' });
    log.info('quiet');
    log.child({ caller: 'oid-1' }).warn({ tool: 'echo' }, 'loud');
    expect(records()).toEqual([expect.objectContaining({ msg: 'loud', caller: 'oid-1', tool: 'echo', level: 'warn' })]);
  });

  it('redacts fields named like credentials, at the top level and one level down, whatever their value', () => {
    const { log, lines, records } = capture();
    log.info({ access_token: 'abc', refreshToken: 'def', client_secret: 'ghi', headers: { authorization: 'Bearer xyz', cookie: 'sid=1' }, note: 'kept' }, 'x');
    expect(records()[0]).toMatchObject({ access_token: REDACTED, refreshToken: REDACTED, client_secret: REDACTED, headers: { authorization: REDACTED, cookie: REDACTED }, note: 'kept' });
    expect(lines[0]!.line).not.toMatch(/abc|def|ghi|xyz|sid=1/);
  });

  it('scrubs registered secret values wherever they appear: messages, nested fields, JSON-escaped forms', () => {
    const secrets = new SecretValues();
    const { log, lines, records } = capture({ secrets });
    const token = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4';
    secrets.add(token);
    secrets.add('with"quote');
    secrets.add('ab'); // too short to redact safely: ignored
    log.warn({ message: `Bearer ${token} was refused`, nested: { list: [token] }, quoted: 'with"quote', short: 'ab' }, `saw ${token}`);
    expect(lines[0]!.line).not.toContain(token);
    expect(records()[0]).toMatchObject({ message: `Bearer ${REDACTED} was refused`, nested: { list: [REDACTED] }, quoted: REDACTED, short: 'ab', msg: `saw ${REDACTED}` });
  });
});

describe('parseLogLevel', () => {
  it('reads a level, falls back when unset, and names the variable on a bad value', () => {
    expect(parseLogLevel(' WARN ')).toBe('warn');
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('', 'LOG_LEVEL', 'error')).toBe('error');
    expect(() => parseLogLevel('loud')).toThrow('LOG_LEVEL must be one of debug, info, warn, error; got "loud"');
  });
});
