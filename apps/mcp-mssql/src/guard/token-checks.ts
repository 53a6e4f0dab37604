/**
 * Checks on the token stream, before parsing. They bound the parser's work (nesting depth), catch what
 * the grammar reads differently or not at all (GO separators, NEXT VALUE FOR, TABLESAMPLE) and give a
 * precise reason for the common hostile words. Only reserved words are refused here: they cannot be
 * bare identifiers in T-SQL, so a column named `Try`, `go` or `sp_rating` still passes; the parse-tree
 * gate decides about names.
 */
import type { Segment } from './lexer.ts';

/** Bare words never needed by a single read-only SELECT, with the reason given for each group. */
const DENIED_WORDS: ReadonlyMap<string, string> = new Map([
  ...['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'UPDATETEXT', 'WRITETEXT', 'READTEXT'].map(
    (w) => [w, `${w} modifies data`] as const,
  ),
  ...['CREATE', 'ALTER', 'DROP', 'GRANT', 'REVOKE', 'DENY'].map(
    (w) => [w, `${w} changes the schema or permissions`] as const,
  ),
  ...['EXEC', 'EXECUTE'].map((w) => [w, `${w} runs dynamic SQL or procedures`] as const),
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
  ...['IF', 'WHILE', 'GOTO', 'RETURN', 'RAISERROR', 'PRINT', 'BREAK', 'CONTINUE'].map(
    (w) => [w, `${w} is procedural T-SQL, not a query`] as const,
  ),
  ...['SHUTDOWN', 'KILL', 'BACKUP', 'RESTORE', 'DBCC', 'RECONFIGURE', 'CHECKPOINT', 'DUMP', 'LOAD'].map(
    (w) => [w, `${w} is a server administration command`] as const,
  ),
]);

/** Outcome of a check: undefined when it passes, else the reason. */
export type CheckFailure = string | undefined;

function upper(token: Segment): string {
  return token.text.toUpperCase();
}

/** Deepest nesting the guard checks: parentheses and CASE … END, counted together. */
export const MAX_NESTING_DEPTH = 32;

/** The parser's work grows with nesting; refuse deep nesting before parsing. */
export function checkNestingDepth(tokens: Segment[]): CheckFailure {
  let depth = 0;
  let deepest = 0;
  for (const token of tokens) {
    const text = upper(token);
    if ((token.kind === 'punct' && text === '(') || (token.kind === 'word' && text === 'CASE')) depth += 1;
    else if ((token.kind === 'punct' && text === ')') || (token.kind === 'word' && text === 'END')) depth -= 1;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING_DEPTH) {
      return `the query nests parentheses and CASE expressions more than ${MAX_NESTING_DEPTH} levels deep; the guard checks at most ${MAX_NESTING_DEPTH}`;
    }
  }
  return undefined;
}

/**
 * `GO` is a batch separator of client tools (sqlcmd, SSMS), on a line of its own (optionally with a
 * count); SQL Server itself never sees one. Elsewhere `go` is an ordinary name.
 */
export function checkBatchSeparators(tokens: Segment[], text: string): CheckFailure {
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.kind !== 'word' || upper(token) !== 'GO') continue;
    const previous = tokens[i - 1];
    let next = tokens[i + 1];
    if (next?.kind === 'number' && !text.slice(token.start, next.start).includes('\n')) next = tokens[i + 2];
    const lineStart = previous === undefined || text.slice(previous.start + previous.text.length, token.start).includes('\n');
    const lineEnd = next === undefined || text.slice(token.start, next.start).includes('\n');
    if (lineStart && lineEnd) return 'GO batch separators are not accepted: send exactly one statement';
  }
  return undefined;
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

/** `::` before a name is the old syntax for system table functions (`::fn_virtualfilestats`). */
export function checkDoubleColonCalls(tokens: Segment[]): CheckFailure {
  for (let i = 0; i + 2 < tokens.length; i += 1) {
    if (tokens[i]!.text === ':' && tokens[i + 1]!.text === ':' && tokens[i + 2]!.kind === 'word' && tokens[i]!.start + 1 === tokens[i + 1]!.start) {
      const before = tokens[i - 1];
      // `geography::Point(…)` (a type's static method) has a name before the ::; `FROM ::fn_x` does not.
      if (before === undefined || before.kind === 'punct' || upper(before) === 'FROM' || upper(before) === 'JOIN' || upper(before) === 'APPLY') {
        return 'the ::function syntax calls system table functions and is not allowed';
      }
    }
  }
  return undefined;
}

/** All token checks in order; the first failure wins. `text` is the query as sent (for line breaks). */
export function runTokenChecks(tokens: Segment[], text: string): CheckFailure {
  const checks: Array<(tokens: Segment[], text: string) => CheckFailure> = [
    checkLeadingKeyword,
    checkNestingDepth,
    checkBatchSeparators,
    checkSingleStatement,
    checkSequenceAdvance,
    checkDoubleColonCalls,
    checkDeniedWords,
  ];
  for (const check of checks) {
    const failure = check(tokens, text);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/** TABLESAMPLE [SYSTEM] (n [PERCENT | ROWS]) [REPEATABLE (n)]: the T-SQL grammar has no rule for it. */
const TABLESAMPLE_SHAPE = [
  { word: 'SYSTEM', optional: true },
  { punct: '(' },
  { number: true },
  { word: ['PERCENT', 'ROWS'], optional: true },
  { punct: ')' },
] as const;

/**
 * Finds each TABLESAMPLE clause, checks that it has the one shape T-SQL defines, and returns the
 * tokens, so the text given to the parser can leave them out (the server gets them).
 */
export function tablesampleClauses(tokens: Segment[]): { omit: Set<Segment> } | { failure: string } {
  const omit = new Set<Segment>();
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i]!.kind !== 'word' || upper(tokens[i]!) !== 'TABLESAMPLE') continue;
    const clause = [i];
    let at = i + 1;
    const take = (ok: (t: Segment) => boolean): boolean => {
      const token = tokens[at];
      if (token === undefined || !ok(token)) return false;
      clause.push(at);
      at += 1;
      return true;
    };
    const shaped = TABLESAMPLE_SHAPE.every((part) => {
      const matched = take((t) =>
        'word' in part ? t.kind === 'word' && ([part.word].flat() as string[]).includes(upper(t)) : 'punct' in part ? t.text === part.punct : t.kind === 'number',
      );
      return matched || ('optional' in part && part.optional);
    });
    if (!shaped) return { failure: 'TABLESAMPLE must read TABLESAMPLE [SYSTEM] (n PERCENT | n ROWS) [REPEATABLE (n)]' };
    if (tokens[at] !== undefined && upper(tokens[at]!) === 'REPEATABLE') {
      const repeatable = take((t) => upper(t) === 'REPEATABLE') && take((t) => t.text === '(') && take((t) => t.kind === 'number') && take((t) => t.text === ')');
      if (!repeatable) return { failure: 'TABLESAMPLE … REPEATABLE must read REPEATABLE (n)' };
    }
    for (const index of clause) omit.add(tokens[index]!);
    i = at - 1;
  }
  return { omit };
}
