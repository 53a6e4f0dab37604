/**
 * Checks on the token stream, before parsing. They catch what the grammar drops or reads
 * differently (GO separators, statements glued without `;`, NEXT VALUE FOR, which it cannot parse)
 * and give a precise reason for the common hostile words. Reserved words cannot be bare
 * identifiers in T-SQL, so refusing them outside strings, comments and [quoted names] does not
 * refuse legitimate queries; a column that happens to share a non-reserved name (a lock hint,
 * say) can be written in [brackets].
 */
import type { Segment } from './lexer.ts';

/** Bare words never needed by a single read-only SELECT, with the reason given for each group. */
const DENIED_WORDS: ReadonlyMap<string, string> = new Map([
  ...['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'UPDATETEXT', 'WRITETEXT', 'READTEXT'].map(
    (w) => [w, `${w} modifies data`] as const,
  ),
  ...['CREATE', 'ALTER', 'DROP', 'GRANT', 'REVOKE', 'DENY', 'RENAME'].map(
    (w) => [w, `${w} changes the schema or permissions`] as const,
  ),
  ...['EXEC', 'EXECUTE', 'SP_EXECUTESQL'].map((w) => [w, `${w} runs dynamic SQL or procedures`] as const),
  ...['OPENQUERY', 'OPENROWSET', 'OPENDATASOURCE', 'BULK'].map(
    (w) => [w, `${w} reads files or linked servers`] as const,
  ),
  ['INTO', 'SELECT … INTO creates a table'],
  ['WAITFOR', 'WAITFOR holds a connection idle'],
  ...['DECLARE', 'SET', 'USE', 'SETUSER', 'REVERT', 'CURSOR', 'OPEN', 'CLOSE', 'DEALLOCATE'].map(
    (w) => [w, `${w} changes session state`] as const,
  ),
  ...['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVE', 'TRAN', 'TRANSACTION'].map(
    (w) => [w, `${w} controls transactions`] as const,
  ),
  ...['IF', 'WHILE', 'GOTO', 'RETURN', 'THROW', 'RAISERROR', 'PRINT', 'TRY', 'CATCH', 'BREAK', 'CONTINUE'].map(
    (w) => [w, `${w} is procedural T-SQL, not a query`] as const,
  ),
  ...['SHUTDOWN', 'KILL', 'BACKUP', 'RESTORE', 'DBCC', 'RECONFIGURE', 'CHECKPOINT', 'DUMP', 'LOAD'].map(
    (w) => [w, `${w} is a server administration command`] as const,
  ),
]);

/** Table hints that take or keep locks which block writers (or raise isolation for the whole read). */
export const BLOCKING_LOCK_HINTS: ReadonlySet<string> = new Set([
  'TABLOCK',
  'TABLOCKX',
  'XLOCK',
  'UPDLOCK',
  'HOLDLOCK',
  'PAGLOCK',
  'SERIALIZABLE',
  'REPEATABLEREAD',
]);

/** Outcome of a check: undefined when it passes, else the reason. */
export type CheckFailure = string | undefined;

function upper(token: Segment): string {
  return token.text.toUpperCase();
}

/** `GO` is a batch separator of client tools (sqlcmd, SSMS); SQL Server itself never sees one. */
export function checkBatchSeparators(tokens: Segment[]): CheckFailure {
  const go = tokens.find((t) => t.kind === 'word' && upper(t) === 'GO');
  return go === undefined ? undefined : 'GO batch separators are not accepted: send exactly one statement';
}

/** A `;` may only end the statement; anything after it is a second statement. */
export function checkSingleStatement(tokens: Segment[]): CheckFailure {
  const first = tokens.findIndex((t) => t.kind === 'punct' && t.text === ';');
  if (first === -1) return undefined;
  const rest = tokens.slice(first + 1).filter((t) => !(t.kind === 'punct' && t.text === ';'));
  return rest.length === 0 ? undefined : 'only one statement is accepted (found text after ";")';
}

export function checkDeniedWords(tokens: Segment[]): CheckFailure {
  for (const token of tokens) {
    if (token.kind !== 'word') continue;
    const word = upper(token);
    const reason = DENIED_WORDS.get(word);
    if (reason !== undefined) return `${reason}: "${token.text}" is not allowed in a read-only query`;
    if (word.startsWith('XP_') || word.startsWith('SP_')) {
      return `"${token.text}" names a system procedure; procedures cannot be called from a read-only query`;
    }
    if (BLOCKING_LOCK_HINTS.has(word)) {
      return `lock hint ${word} blocks writers and is not allowed (write a column of that name as [${token.text}])`;
    }
  }
  return undefined;
}

/** `NEXT VALUE FOR seq` advances a sequence: a read with a write. */
export function checkSequenceAdvance(tokens: Segment[]): CheckFailure {
  for (let i = 0; i + 2 < tokens.length; i += 1) {
    if (upper(tokens[i]!) === 'NEXT' && upper(tokens[i + 1]!) === 'VALUE' && upper(tokens[i + 2]!) === 'FOR') {
      return 'NEXT VALUE FOR advances a sequence and is not allowed in a read-only query';
    }
  }
  return undefined;
}

/** The query must start with SELECT, WITH, or an opening parenthesis around a SELECT. */
export function checkLeadingKeyword(tokens: Segment[]): CheckFailure {
  const first = tokens.find((t) => !(t.kind === 'punct' && t.text === '('));
  if (first === undefined) return 'the query is empty';
  const word = upper(first);
  return word === 'SELECT' || word === 'WITH' ? undefined : `only SELECT or WITH … SELECT is accepted, found "${first.text}"`;
}

/** The named parameters (`@name`) the query refers to, without the `@`, in order of appearance. */
export function parameterNames(tokens: Segment[]): string[] {
  const names = tokens.filter((t) => t.kind === 'variable').map((t) => t.text.slice(1));
  return [...new Set(names)];
}

/** All token checks in order; the first failure wins. */
export function runTokenChecks(tokens: Segment[]): CheckFailure {
  const checks = [checkLeadingKeyword, checkBatchSeparators, checkSingleStatement, checkSequenceAdvance, checkDeniedWords];
  for (const check of checks) {
    const failure = check(tokens);
    if (failure !== undefined) return failure;
  }
  return undefined;
}
