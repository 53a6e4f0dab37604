/** Parses and checks one text: the work of the guard's worker thread (parse-worker.ts). */
import { checkTree } from './ast-checks.ts';
import { parseTsql, SqlSyntaxError } from './sql-parser.ts';
import type { CheckFailure } from './token-checks.ts';

/** The refusal reason for `text`, or undefined when it passes; never throws. */
export function parseAndCheck(text: string): CheckFailure {
  try {
    return checkTree(parseTsql(text));
  } catch (error) {
    if (error instanceof SqlSyntaxError) return `${error.message}; it is refused (the guard fails closed on what it cannot read)`;
    if (error instanceof RangeError) return 'the query is nested too deeply to be checked; it is refused';
    return 'the query could not be checked; it is refused';
  }
}
