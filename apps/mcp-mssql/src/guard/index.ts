/**
 * The read-only gate for free-form queries. Layers, in order:
 * 1. a T-SQL lexer (strings, [names], nested comments as SQL Server reads them; odd characters refused),
 * 2. token checks (one statement, SELECT/WITH first, no GO, no hostile words, no NEXT VALUE FOR),
 * 3. the parser gate (node-sql-parser `transactsql`, AST walked node by node; unparseable = refused).
 * It is a first gate, not the boundary: the query then runs in a rolled-back transaction as a login
 * that can only SELECT (see the README).
 */
import { LexError, lex, renderForParser, renderForServer, tokensOf, type Segment } from './lexer.ts';
import { checkWithParser } from './ast-checks.ts';
import { parameterNames, runTokenChecks } from './token-checks.ts';

/** Longest query text accepted, in characters. */
export const MAX_QUERY_CHARS = 100_000;

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

function refuse(reason: string): GuardVerdict {
  return { ok: false, reason };
}

/** Decides whether a query may run; refusals carry a reason meant for the person who wrote it. */
export function checkReadOnlyQuery(sql: string): GuardVerdict {
  if (sql.length > MAX_QUERY_CHARS) return refuse(`the query is longer than ${MAX_QUERY_CHARS} characters`);
  let segments: Segment[];
  try {
    segments = dropLeadingSemicolons(lex(sql));
  } catch (error) {
    if (error instanceof LexError) return refuse(error.message);
    throw error;
  }
  const tokens = tokensOf(segments);
  const tokenFailure = runTokenChecks(tokens);
  if (tokenFailure !== undefined) return refuse(tokenFailure);
  const astFailure = checkWithParser(renderForParser(segments));
  if (astFailure !== undefined) return refuse(astFailure);
  return { ok: true, sql: renderForServer(segments).replace(/[;\s]+$/, ''), parameters: parameterNames(tokens) };
}
