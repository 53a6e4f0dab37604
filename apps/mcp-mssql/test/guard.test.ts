// The read-only gate: corpora of hostile and legitimate T-SQL (test/corpus/*.json) through the whole
// guard (worker thread included), each layer alone, the bounds on its work and the worker's time budget.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFunctionName, checkObjectName, checkTree, nameParts } from '../src/guard/ast-checks.ts';
import { checkTokens, createQueryGuard, dropLeadingSemicolons } from '../src/guard/index.ts';
import { lex, LexError, renderForParser, renderForServer, tokensOf } from '../src/guard/lexer.ts';
import { parseAndCheck } from '../src/guard/check-text.ts';
import { parseTsql, SqlSyntaxError } from '../src/guard/sql-parser.ts';
import { MAX_NESTING_DEPTH, parameterNames, runTokenChecks } from '../src/guard/token-checks.ts';

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
const guard = createQueryGuard();
afterAll(() => guard.close());

/** Generous: the verdict must come back (a frozen guard never does); this is no speed target. */
const GUARD_RETURNS_MS = 20_000;

async function verdictWithin(sql: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the guard did not return within ${GUARD_RETURNS_MS} ms`)), GUARD_RETURNS_MS);
  });
  try {
    return await Promise.race([guard.check(sql), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The parse-tree layer alone, on the text the lexer renders (as the full gate uses it). */
function treeLayer(sql: string): string | undefined {
  return parseAndCheck(renderForParser(dropLeadingSemicolons(lex(sql))));
}

describe('corpora', () => {
  it('has at least 100 hostile and 60 legitimate queries, each labelled once', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(100);
    expect(legitimate.length).toBeGreaterThanOrEqual(60);
    for (const entry of [...hostile, ...legitimate]) expect(entry.label.length).toBeGreaterThan(2);
    expect(new Set(hostile.map((e) => e.label)).size).toBe(hostile.length);
    expect(new Set(legitimate.map((e) => e.label)).size).toBe(legitimate.length);
  });
});

describe('hostile queries are refused with their reason, and the guard returns', () => {
  it.each(hostile.map((e) => [e.label, e] as const))('%s', async (_label, entry) => {
    const verdict = await verdictWithin(entry.sql);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toContain(entry.reason!);
  });
});

describe('legitimate analytical queries are accepted', () => {
  it.each(legitimate.map((e) => [e.label, e] as const))('%s', async (_label, entry) => {
    expect(await verdictWithin(entry.sql)).toMatchObject({ ok: true });
  });
});

describe('each layer holds on its own', () => {
  it('the parse-tree layer alone refuses every hostile query that lexes (what it has no rule for is a refusal too)', () => {
    const passed: string[] = [];
    for (const entry of hostile) {
      let failure: string | undefined;
      try {
        if (entry.reason?.includes('levels deep')) continue; // the depth bound exists to spare the parser
        failure = treeLayer(entry.sql);
      } catch (error) {
        expect(error).toBeInstanceOf(LexError);
        continue;
      }
      if (failure === undefined) passed.push(entry.label);
    }
    expect(passed).toEqual([]);
  });

  it('the parse-tree layer alone accepts every legitimate query but TABLESAMPLE, which the token layer lifts out', () => {
    const refused = legitimate.filter((entry) => treeLayer(entry.sql) !== undefined).map((entry) => entry.label);
    expect(refused.sort()).toEqual(['TABLESAMPLE percent', 'TABLESAMPLE rows repeatable with alias and hint']);
  });

  it('the token checks refuse without the parser', () => {
    const tokenLayer = (sql: string): string | undefined => runTokenChecks(tokensOf(lex(sql)), sql);
    expect(tokenLayer('SELECT 1 COMMIT')).toContain('COMMIT');
    expect(tokenLayer('SELECT NEXT VALUE FOR s')).toContain('NEXT VALUE FOR');
    expect(tokenLayer('SELECT 1\ngo')).toContain('GO');
    expect(tokenLayer('SELECT 1\n  GO 5\n')).toContain('GO');
    expect(tokenLayer('SELECT go FROM t')).toBeUndefined();
    expect(tokenLayer('SELECT 1;;  ')).toBeUndefined();
    expect(tokenLayer("SELECT 'DELETE' AS [Update] -- EXEC")).toBeUndefined();
    expect(tokenLayer('SELECT * FROM ::fn_x()')).toContain('::function');
    expect(tokenLayer("SELECT geography::Point(1, 2, 4326)")).toBeUndefined();
  });

  it('names are classified by the allow-list', () => {
    expect(checkObjectName(['dbo', 'Orders'])).toBeUndefined();
    expect(checkObjectName(['Orders'])).toBeUndefined();
    expect(checkObjectName(['Sales', '', 'Orders'])).toBeUndefined();
    expect(checkObjectName(['SYS', 'Objects'])).toBeUndefined();
    expect(checkObjectName(['sys', 'dm_exec_sessions'])).toContain('other sessions');
    expect(checkObjectName(['tempdb', 'dbo', 't'])).toContain('system database');
    expect(checkObjectName(['s', 'd', 'o', 't'])).toContain('four-part');
    expect(checkObjectName(['fn_dblog'])).toContain('FN_DBLOG');
    expect(checkFunctionName(['len'])).toBeUndefined();
    expect(checkFunctionName(['dbo', 'fn_dblog'])).toBeUndefined(); // a user function of that name
    expect(checkFunctionName(['sys', 'fn_dblog'])).toContain('FN_DBLOG');
    expect(checkFunctionName(['Sales', '', 'f'])).toContain('system function');
  });

  it('splits dotted names as written, quotes removed', () => {
    const table = (sql: string) => {
      const stack = [parseTsql(sql)];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.rule === 'table_name') return nameParts(node);
        stack.push(...node.children);
      }
      return undefined;
    };
    expect(table('SELECT * FROM [Sales]..[Odd]]Name]')).toEqual(['Sales', '', 'Odd]Name']);
    expect(table('SELECT * FROM "dbo"."T"')).toEqual(['dbo', 'T']);
  });

  it('reports where the grammar stopped', () => {
    expect(() => parseTsql('SELECT * FORM t')).toThrow(SqlSyntaxError);
    expect(parseAndCheck('SELECT * FROM t WHERE')).toMatch(/cannot read the query at the end \(line 1, column \d+\); it is refused/);
    expect(checkTree(parseTsql('SELECT 1 SELECT 2'))).toContain('only one statement is accepted');
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

  it('renders for the parser with the omitted tokens blanked at their columns', () => {
    const segments = lex('SELECT * FROM t TABLESAMPLE (5 PERCENT) -- c');
    const omit = new Set(tokensOf(segments).filter((t) => ['TABLESAMPLE', '(', '5', 'PERCENT', ')'].includes(t.text)));
    expect(renderForParser(segments, omit)).toBe('SELECT * FROM t');
    expect(renderForParser(lex("SELECT 'a\\' AS x"))).toBe("SELECT 'a\\' AS x");
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

describe('verdict and bounds', () => {
  it('returns the text without comments or trailing semicolons, and the parameters', async () => {
    expect(await guard.check('SELECT * FROM t WHERE id = @id; -- done')).toEqual({ ok: true, sql: 'SELECT * FROM t WHERE id = @id', parameters: ['id'] });
  });

  it('sends TABLESAMPLE to the server though the parser never sees it', async () => {
    expect(await guard.check('SELECT * FROM dbo.T TABLESAMPLE (5 PERCENT)')).toEqual({ ok: true, sql: 'SELECT * FROM dbo.T TABLESAMPLE (5 PERCENT)', parameters: [] });
  });

  it('refuses nesting past the bound on the tokens, before any parse', () => {
    const deep = `SELECT ${'CAST('.repeat(MAX_NESTING_DEPTH + 1)}1${' AS int)'.repeat(MAX_NESTING_DEPTH + 1)}`;
    expect(checkTokens(deep)).toEqual({ ok: false, reason: expect.stringContaining(`more than ${MAX_NESTING_DEPTH} levels deep`) });
    const atBound = `SELECT ${'('.repeat(MAX_NESTING_DEPTH)}1${')'.repeat(MAX_NESTING_DEPTH)}`;
    expect(checkTokens(atBound)).toMatchObject({ ok: true });
  });

  it('refuses overlong text before reading it', () => {
    expect(checkTokens(`SELECT ${'1,'.repeat(10_001)}1`)).toMatchObject({ ok: false, reason: expect.stringContaining('longer than') });
  });

  it('checks very deep expression trees without exhausting the stack', async () => {
    expect(await guard.check(`SELECT 1 FROM t WHERE ${'a = 1 AND '.repeat(1_900)}b = 2`)).toMatchObject({ ok: true });
  });

  it('refuses a query whose check passes the time budget, stops that worker and checks the next query in a new one', async () => {
    const strict = createQueryGuard({ budgetMs: 1 });
    try {
      // Under one millisecond no worker parses 19,000 characters: the budget is what ends this check.
      const verdict = await strict.check(`SELECT ${'a, '.repeat(6_300)}1 FROM t`);
      expect(verdict).toEqual({ ok: false, reason: expect.stringContaining('took longer than 1 ms') });
    } finally {
      await strict.close();
    }
    const relaxed = createQueryGuard({ budgetMs: 60_000 });
    try {
      expect(await relaxed.check('SELECT 1')).toMatchObject({ ok: true });
    } finally {
      await relaxed.close();
    }
  });

  it('after a worker is stopped for its budget, the same guard starts a new one', async () => {
    const strict = createQueryGuard({ budgetMs: 1 });
    try {
      const first = await strict.check(`SELECT ${'a, '.repeat(6_300)}1 FROM t`);
      expect(first).toMatchObject({ ok: false });
      const second = await strict.check(`SELECT ${'a, '.repeat(6_300)}1 FROM t`);
      // A fresh worker answered (or was stopped in turn): never "could not start" or "stopped".
      expect(second).toEqual({ ok: false, reason: expect.stringContaining('took longer than 1 ms') });
    } finally {
      await strict.close();
    }
  });
});
