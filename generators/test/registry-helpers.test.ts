/** The cron and JSON-position helpers of the registry parser. */
import { describe, expect, it } from 'vitest';
import { cronProblem } from '../src/registry/cron.ts';
import { findJsonError, lineColumn } from '../src/registry/json-position.ts';

describe('cronProblem', () => {
  it('accepts Kubernetes schedules', () => {
    for (const ok of ['*/23 * * * *', '0 9-17/2 * * MON-FRI', '15 3 1,15 JAN-JUN 0', '0 0 * * 7', '@hourly', '@daily']) expect(cronProblem(ok)).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(cronProblem('* * * *')).toBe('expected 5 fields (minute hour day-of-month month day-of-week), found 4');
    expect(cronProblem('*/0 * * * *')).toBe('step "0" in the minute field must be a positive integer');
    expect(cronProblem('*/61 * * * *')).toBe('step 61 in the minute field is larger than 59');
    expect(cronProblem('0 24 * * *')).toBe('hour 24 is out of range 0-23');
    expect(cronProblem('0 5-1 * * *')).toBe('range "5-1" in the hour field is backwards');
    expect(cronProblem('0 0 * FOO *')).toBe('"FOO" is not a valid month');
    expect(cronProblem('TZ=UTC 0 0 * * *')).toBe('do not put a time zone in the schedule; use timeZone');
    expect(cronProblem('@every 5m')).toBe('unknown macro "@every 5m"');
  });
});

describe('findJsonError', () => {
  it('finds nothing in valid JSON and the first error otherwise', () => {
    expect(findJsonError('{"a": [1, 2.5e3, "x\\n", true, null]}')).toBeUndefined();
    expect(findJsonError('{"a": 01}')).toEqual({ offset: 7, reason: "expected ',' or '}' but found '1'" });
    expect(findJsonError("{'a': 1}")).toEqual({ offset: 1, reason: "expected a property name in double quotes but found '''" });
    expect(findJsonError('{"a": "x')).toEqual({ offset: 8, reason: 'unterminated string' });
    expect(findJsonError('{} x')).toEqual({ offset: 3, reason: "unexpected 'x' after the end of the document" });
  });

  it('turns offsets into 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});
