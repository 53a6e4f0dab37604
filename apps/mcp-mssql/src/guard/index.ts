/**
 * The read-only gate for free-form queries. Layers, in order:
 * 1. bounds: at most MAX_QUERY_CHARS characters, at most MAX_NESTING_DEPTH levels of nesting (counted
 *    on the lexer's tokens, before any parse),
 * 2. a T-SQL lexer (strings, [names], nested comments as SQL Server reads them; odd characters refused),
 * 3. token checks (one statement, SELECT/WITH first, no GO, no reserved words that write or run code),
 * 4. the T-SQL grammar and the parse-tree allow-list (objects, functions, system variables, hints),
 *    in a worker thread with a time budget: unparseable, unknown or too slow = refused.
 * Steps 1-3 are linear in the text and run on the event loop; step 4 never does. It is a first gate,
 * not the boundary: the query then runs in a rolled-back transaction as a login that can only SELECT.
 */
import { LexError, lex, renderForParser, renderForServer, tokensOf, type Segment } from './lexer.ts';
import { createTreeChecker, type TreeCheckerOptions } from './parse-worker.ts';
import { parameterNames, runTokenChecks, tablesampleClauses } from './token-checks.ts';

/**
 * Longest query text accepted, in characters: room for long IN lists and generated SQL. The grammar's
 * parse tree costs memory in proportion to the text (the worker thread holds it), hence the bound.
 */
export const MAX_QUERY_CHARS = 20_000;

/** The gate's verdict. */
export type GuardVerdict =
  | {
      ok: true;
      /** The text to run: the query with its comments removed, exactly what the checks read. */
      sql: string;
      /** Named parameters the query refers to (`@name`), without the `@`. */
      parameters: string[];
    }
  | { ok: false; reason: string };

/** What the token layer hands to the parse-tree layer. */
export type TokenVerdict = { ok: true; sql: string; parserText: string; parameters: string[] } | { ok: false; reason: string };

/** `;WITH …` is a common habit (a CTE must follow a terminated statement): leading semicolons are dropped. */
export function dropLeadingSemicolons(segments: Segment[]): Segment[] {
  let first = 0;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.kind === 'space' || segment.kind === 'comment') continue;
    if (segment.kind === 'punct' && segment.text === ';') {
      first = i + 1;
      continue;
    }
    break;
  }
  return segments.slice(first);
}

/** Layers 1-3: bounded, linear work on the event loop. */
export function checkTokens(sql: string): TokenVerdict {
  if (sql.length > MAX_QUERY_CHARS) return { ok: false, reason: `the query is longer than ${MAX_QUERY_CHARS} characters` };
  let segments: Segment[];
  try {
    segments = dropLeadingSemicolons(lex(sql));
  } catch (error) {
    if (error instanceof LexError) return { ok: false, reason: error.message };
    throw error;
  }
  const tokens = tokensOf(segments);
  const failure = runTokenChecks(tokens, sql);
  if (failure !== undefined) return { ok: false, reason: failure };
  const tablesample = tablesampleClauses(tokens);
  if ('failure' in tablesample) return { ok: false, reason: tablesample.failure };
  const statement = renderForServer(segments).replace(/[;\s]+$/, '');
  const parserText = renderForParser(segments, tablesample.omit).replace(/[;\s]+$/, '');
  return { ok: true, sql: statement, parserText, parameters: parameterNames(tokens) };
}

/** Decides whether queries may run; refusals carry a reason meant for the person who wrote the query. */
export interface QueryGuard {
  check(sql: string): Promise<GuardVerdict>;
  /** Stops the worker thread. */
  close(): Promise<void>;
}

export function createQueryGuard(options: Partial<TreeCheckerOptions> = {}): QueryGuard {
  const trees = createTreeChecker(options);
  return {
    async check(sql) {
      const tokens = checkTokens(sql);
      if (!tokens.ok) return tokens;
      const failure = await trees.check(tokens.parserText);
      if (failure !== undefined) return { ok: false, reason: failure };
      return { ok: true, sql: tokens.sql, parameters: tokens.parameters };
    },
    close: () => trees.close(),
  };
}
