// The read-only gate: corpora of hostile and legitimate T-SQL (test/corpus/*.json), each layer alone,
// and the lexer rules that keep the parser reading what SQL Server reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAst, checkWithParser, parseTsql } from '../src/guard/ast-checks.ts';
import { checkReadOnlyQuery, dropLeadingSemicolons } from '../src/guard/index.ts';
import { lex, LexError, renderForParser, renderForServer, tokensOf } from '../src/guard/lexer.ts';
import { parameterNames, runTokenChecks } from '../src/guard/token-checks.ts';

interface CorpusEntry {
  label: string;
  sql: string;
  /** For hostile entries: a part of the refusal reason. */
  reason?: string;
}

function corpus(name: string): CorpusEntry[] {
  return JSON.parse(readFileSync(new URL(`./corpus/${name}.json`, import.meta.url), 'utf8')) as CorpusEntry[];
}

const hostile = corpus('hostile');
const legitimate = corpus('legitimate');

/** Hostile entries the AST layer alone lets through; the token layer refuses them (see each why). */
const ONLY_TOKEN_LAYER = new Map([
  ['COMMIT after select', 'the grammar reads the reserved word COMMIT as a column alias'],
  ['system procedure name', 'sp_helpdb parses as an ordinary table name'],
]);

/** The parser gate alone, on the lexer's rendering (as the full gate uses it). */
function astLayer(sql: string): string | undefined {
  return checkWithParser(renderForParser(dropLeadingSemicolons(lex(sql))));
}

describe('corpora', () => {
  it('has at least 40 hostile and 20 legitimate queries, each labelled', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40);
    expect(legitimate.length).toBeGreaterThanOrEqual(20);
    for (const entry of [...hostile, ...legitimate]) expect(entry.label.length).toBeGreaterThan(2);
    expect(new Set(hostile.map((e) => e.label)).size).toBe(hostile.length);
  });
});

describe('hostile queries are refused with a clear reason', () => {
  it.each(hostile.map((e) => [e.label, e] as const))('%s', (_label, entry) => {
    const verdict = checkReadOnlyQuery(entry.sql);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toContain(entry.reason!);
  });
});

describe('legitimate analytical queries are accepted', () => {
  it.each(legitimate.map((e) => [e.label, e] as const))('%s', (_label, entry) => {
    const verdict = checkReadOnlyQuery(entry.sql);
    expect(verdict).toMatchObject({ ok: true });
  });
});

describe('each layer holds on its own', () => {
  it('the parser gate alone refuses every hostile query that lexes, except the listed ones', () => {
    const passed: string[] = [];
    for (const entry of hostile) {
      let failure: string | undefined;
      try {
        failure = astLayer(entry.sql);
      } catch (error) {
        expect(error).toBeInstanceOf(LexError);
        continue;
      }
      if (failure === undefined) passed.push(entry.label);
    }
    expect(passed.sort()).toEqual([...ONLY_TOKEN_LAYER.keys()].sort());
  });

  it('the parser gate alone accepts every legitimate query', () => {
    for (const entry of legitimate) expect(astLayer(entry.sql), entry.label).toBeUndefined();
  });

  it('the AST walk refuses structures regardless of spelling', () => {
    const refused = (sql: string): string | undefined => {
      const parsed = parseTsql(sql);
      if ('failure' in parsed) throw new Error(`expected ${sql} to parse`);
      return checkAst(parsed.ast);
    };
    expect(refused('SELECT a INTO #copy FROM t')).toContain('INTO');
    expect(refused('SELECT * FROM s.d.o.t')).toContain('four-part');
    expect(refused('SELECT * FROM t WHERE id IN (SELECT id FROM x.y.z.w)')).toContain('four-part');
    expect(refused('SELECT * FROM openquery(s, \'x\')')).toContain('OPENQUERY');
    expect(refused('SELECT * FROM t WITH (UPDLOCK)')).toContain('UPDLOCK');
    expect(refused('SELECT 1; SELECT 2')).toContain('one statement');
    expect(refused('UPDATE t SET a = 1')).toContain('UPDATE');
    expect(refused('SELECT a FROM t WITH (NOLOCK) ORDER BY a DESC')).toBeUndefined();
  });

  it('the token checks refuse without the parser', () => {
    const tokenLayer = (sql: string): string | undefined => runTokenChecks(tokensOf(lex(sql)));
    expect(tokenLayer('SELECT 1 COMMIT')).toContain('COMMIT');
    expect(tokenLayer('SELECT NEXT VALUE FOR s')).toContain('NEXT VALUE FOR');
    expect(tokenLayer('SELECT 1\ngo')).toContain('GO');
    expect(tokenLayer('SELECT 1;;  ')).toBeUndefined();
    expect(tokenLayer("SELECT 'DELETE' AS [Update] -- EXEC")).toBeUndefined();
  });
});

describe('lexer', () => {
  it('reads nested block comments as SQL Server does', () => {
    const segments = lex('SELECT 1 /* a /* b */ still comment */ FROM t');
    expect(segments.filter((s) => s.kind === 'comment').map((s) => s.text)).toEqual(['/* a /* b */ still comment */']);
    expect(renderForServer(segments)).toBe('SELECT 1   FROM t');
  });

  it('reads doubled quotes and brackets, and no backslash escapes', () => {
    const tokens = tokensOf(lex("SELECT 'it''s', N'x\\', [a]]b], \"c\"\"d\" FROM t"));
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(["'it''s'", "N'x\\'"]);
    expect(tokens.filter((t) => t.kind === 'quoted').map((t) => t.text)).toEqual(['[a]]b]', '"c""d"']);
  });

  it('renders for the parser with backslashes doubled inside strings only', () => {
    expect(renderForParser(lex("SELECT 'a\\' AS x -- c"))).toBe("SELECT 'a\\\\' AS x");
  });

  it('keeps line breaks of removed comments so error lines still match', () => {
    expect(renderForServer(lex('SELECT 1 -- one\n/* two\nlines */ FROM t'))).toBe('SELECT 1  \n\n FROM t');
  });

  it('refuses characters outside ASCII T-SQL with their code point', () => {
    expect(() => lex('SELECT 1\u2028FROM t')).toThrow(/U\+2028/);
    expect(() => lex("SELECT N'naïve' AS [café]")).not.toThrow();
  });

  it('collects named parameters but not system variables or text in strings', () => {
    expect(parameterNames(tokensOf(lex("SELECT @a, @@ROWCOUNT, '@b', @A2 FROM t WHERE x = @a")))).toEqual(['a', 'A2']);
  });
});

describe('verdict', () => {
  it('returns the text without comments or trailing semicolons, and the parameters', () => {
    expect(checkReadOnlyQuery('SELECT * FROM t WHERE id = @id; -- done')).toEqual({
      ok: true,
      sql: 'SELECT * FROM t WHERE id = @id',
      parameters: ['id'],
    });
  });

  it('checks very deep expression trees without exhausting the stack', () => {
    const chain = `SELECT 1 FROM t WHERE ${'a = 1 AND '.repeat(9000)}b = 2`;
    expect(checkReadOnlyQuery(chain)).toMatchObject({ ok: true });
    const nested = `SELECT ${'('.repeat(20_000)}1${')'.repeat(20_000)}`;
    expect(checkReadOnlyQuery(nested)).toEqual({ ok: false, reason: 'the query is nested too deeply to be checked; it is refused' });
  });

  it('refuses overlong text before reading it', () => {
    const verdict = checkReadOnlyQuery(`SELECT ${'1,'.repeat(60_000)}1`);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('longer than') });
  });
});
