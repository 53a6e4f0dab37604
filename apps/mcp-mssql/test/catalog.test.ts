// Identifier quoting, statements built from catalog names, type formatting and parameter binding.
import { describe, expect, it } from 'vitest';
import { buildSampleSql, formatColumnType, matchColumns } from '../src/db/catalog.ts';
import { ToolError } from '../src/db/errors.ts';
import { quoteIdentifier, quoteQualified } from '../src/db/quote.ts';
import { bindParameters } from '../src/tools/query-tool.ts';

describe('quoting', () => {
  it('brackets names and doubles every ]', () => {
    expect(quoteIdentifier('Orders')).toBe('[Orders]');
    expect(quoteIdentifier('a]b]]c')).toBe('[a]]b]]]]c]');
    expect(quoteIdentifier("x]; DROP TABLE t; --")).toBe('[x]]; DROP TABLE t; --]');
    expect(quoteQualified('my schema', 'Order Details')).toBe('[my schema].[Order Details]');
  });

  it('refuses names SQL Server cannot hold', () => {
    expect(() => quoteIdentifier('')).toThrow(ToolError);
    expect(() => quoteIdentifier('x'.repeat(129))).toThrow('longer than 128');
    expect(() => quoteIdentifier('a\u0000b')).toThrow('NUL');
  });

  it('builds the sample statement from catalog names only, with the row count as a parameter', () => {
    expect(buildSampleSql({ schema: 'dbo', name: 'T]x' }, undefined)).toBe('SELECT TOP (@limit) * FROM [dbo].[T]]x]');
    expect(buildSampleSql({ schema: 's', name: 't' }, ['a', 'b c'])).toBe('SELECT TOP (@limit) [a], [b c] FROM [s].[t]');
  });
});

describe('column matching', () => {
  it('prefers the exact spelling, then a unique case-insensitive one', () => {
    expect(matchColumns(['Id', 'name'], ['Id', 'Name'])).toEqual(['Id', 'Name']);
    expect(() => matchColumns(['x'], ['a', 'b'])).toThrow('no column "x" (columns: a, b)');
    expect(() => matchColumns(['ab'], ['AB', 'Ab'])).toThrow('no column "ab"');
  });
});

describe('column types', () => {
  it.each([
    ['nvarchar', 100, 0, 0, 'nvarchar(50)'],
    ['nvarchar', -1, 0, 0, 'nvarchar(max)'],
    ['varchar', 20, 0, 0, 'varchar(20)'],
    ['varbinary', -1, 0, 0, 'varbinary(max)'],
    ['decimal', 9, 18, 2, 'decimal(18,2)'],
    ['datetime2', 8, 27, 7, 'datetime2(7)'],
    ['int', 4, 10, 0, 'int'],
  ])('%s %d %d %d → %s', (type, maxLength, precision, scale, expected) => {
    expect(formatColumnType(type, maxLength, precision, scale)).toBe(expected);
  });
});

describe('parameter binding', () => {
  it('matches names without regard to case or a leading @, in the query spelling', () => {
    expect(bindParameters(['CustomerId', 'since'], { '@customerid': 5, since: '2026-01-01' })).toEqual({ CustomerId: 5, since: '2026-01-01' });
  });

  it('refuses invalid names', () => {
    expect(() => bindParameters([], { 'a b': 1 })).toThrow('"a b" is not a valid parameter name');
    expect(() => bindParameters([], { '1x': 1 })).toThrow('not a valid parameter name');
  });
});
