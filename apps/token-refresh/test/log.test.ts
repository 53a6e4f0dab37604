/** Logging: one JSON object per line, and no credential in any line. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

function capture() {
  const lines: { level: string; line: string }[] = [];
  const log = createLogger((level, line) => lines.push({ level, line }), () => new Date('2026-11-24T01:00:00Z'));
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per event with time, level and event', () => {
    const { log, lines } = capture();
    log.info('token.response', { status: 200, durationMs: 12 });
    log.error('refresh.failed', { exitCode: 3 });
    expect(lines.map((l) => l.level)).toEqual(['info', 'error']);
    expect(JSON.parse(lines[0]!.line)).toEqual({ time: '2026-11-24T01:00:00.000Z', level: 'info', event: 'token.response', status: 200, durationMs: 12 });
  });

  it('replaces registered secrets wherever they appear, also inside messages and nested fields', () => {
    const { log, lines } = capture();
    const token = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4';
    log.redact(token);
    log.warn('x', { message: `Bearer ${token} was refused`, nested: { list: [token] } });
    expect(lines[0]!.line).not.toContain(token);
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ message: 'Bearer [redacted] was refused', nested: { list: ['[redacted]'] } });
  });

  it('redacts fields named like credentials whatever their value, and registers escaped forms', () => {
    const { log, lines } = capture();
    log.redact('with"quote');
    log.info('x', { access_token: 'abc', refreshToken: 'def', client_secret: 'ghi', note: 'with"quote' });
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ access_token: '[redacted]', refreshToken: '[redacted]', client_secret: '[redacted]', note: '[redacted]' });
  });
});
