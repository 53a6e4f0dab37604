/**
 * The parser gate: node-sql-parser's `transactsql` grammar turns the query into an AST, which is
 * walked node by node. What the grammar cannot parse is refused (fail closed): some legitimate
 * T-SQL (INTERSECT, EXCEPT, OPTION (...), STRING_AGG … WITHIN GROUP) is refused with it.
 */
import parserModule from 'node-sql-parser/build/transactsql.js';
import { BLOCKING_LOCK_HINTS, type CheckFailure } from './token-checks.ts';

interface SqlParser {
  astify(sql: string, options: { database: string }): unknown;
}

const { Parser } = parserModule as unknown as { Parser: new () => SqlParser };
const parser = new Parser();

/** Functions that reach outside the database: linked servers, files, ad hoc connections. */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set(['OPENQUERY', 'OPENROWSET', 'OPENDATASOURCE']);

/** Table hints a read may use: none of them takes locks that outlive the read of a row or page. */
const ALLOWED_TABLE_HINTS: ReadonlySet<string> = new Set([
  'NOLOCK',
  'READUNCOMMITTED',
  'READCOMMITTED',
  'READCOMMITTEDLOCK',
  'READPAST',
  'NOWAIT',
  'ROWLOCK',
  'SNAPSHOT',
  'NOEXPAND',
  'FORCESEEK',
  'FORCESCAN',
  'INDEX',
]);

/** AST node types that are statements other than SELECT (any depth: CTE bodies, subqueries). */
const STATEMENT_TYPES: ReadonlySet<string> = new Set([
  'insert', 'update', 'delete', 'replace', 'merge', 'create', 'alter', 'drop', 'truncate', 'rename',
  'use', 'exec', 'execute', 'declare', 'set', 'assign', 'transaction', 'grant', 'revoke', 'lock',
  'unlock', 'call', 'if', 'go', 'show', 'explain', 'load_data', 'proc', 'raise', 'return',
]);

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses with the T-SQL grammar; returns the AST or the reason it could not be parsed. */
export function parseTsql(sql: string): { ast: unknown } | { failure: string } {
  try {
    return { ast: parser.astify(sql, { database: 'transactsql' }) };
  } catch (error) {
    if (error instanceof RangeError) return { failure: 'the query is nested too deeply to be checked; it is refused' };
    // The grammar's messages list every expected token; the location is what helps.
    const details = error as { found?: unknown; location?: { start?: { line?: number; column?: number } } };
    const location = details.location?.start;
    const found = typeof details.found === 'string' ? ` at "${details.found}"` : details.found === null ? ' at the end' : '';
    const at = location?.line === undefined ? '' : `${found} (line ${location.line}, column ${location.column})`;
    return { failure: `the query could not be parsed as a single T-SQL SELECT${at}; it is refused (the gate fails closed)` };
  }
}

/** Name of a function node: `{ name: { name: [{ value }] } }` or a plain string. */
function functionName(node: Node): string {
  const name = node['name'];
  if (typeof name === 'string') return name.toUpperCase();
  if (isNode(name) && Array.isArray(name['name'])) {
    const parts = name['name'] as unknown[];
    const last = parts[parts.length - 1];
    if (isNode(last) && typeof last['value'] === 'string') return last['value'].toUpperCase();
  }
  return '';
}

function tableHintNames(hint: Node): string[] {
  const items = Array.isArray(hint['expr']) ? (hint['expr'] as unknown[]) : [];
  return items.map((item) => {
    if (!isNode(item)) return '';
    const expr = item['expr'];
    if (isNode(expr) && typeof expr['value'] === 'string') return expr['value'].toUpperCase();
    if (isNode(expr) && expr['type'] === 'function') return functionName(expr);
    if (typeof item['keyword'] === 'string' && item['keyword'] !== 'literal_string') return item['keyword'].toUpperCase();
    return '';
  });
}

/** `FROM t (TABLOCKX)`, the old hint syntax, parses as a call of `t` whose argument names the hint. */
function legacyLockHint(item: unknown): string | undefined {
  if (!isNode(item) || !isNode(item['expr']) || item['expr']['type'] !== 'function') return undefined;
  const args = item['expr']['args'];
  const values = isNode(args) && Array.isArray(args['value']) ? (args['value'] as unknown[]) : [];
  for (const arg of values) {
    if (isNode(arg) && arg['type'] === 'column_ref' && typeof arg['column'] === 'string') {
      const name = arg['column'].toUpperCase();
      if (BLOCKING_LOCK_HINTS.has(name)) return name;
    }
  }
  return undefined;
}

/** Checks one node (not its children); returns the reason when it is refused. */
function checkNode(node: Node): CheckFailure {
  const type = typeof node['type'] === 'string' ? node['type'].toLowerCase() : undefined;
  if (type !== undefined && STATEMENT_TYPES.has(type)) return `a ${type.toUpperCase()} statement is not allowed in a read-only query`;
  if (type === 'select' && isNode(node['into']) && node['into']['expr'] != null) {
    return 'SELECT … INTO creates a table and is not allowed';
  }
  if (type === 'function' && DENIED_FUNCTIONS.has(functionName(node))) {
    return `${functionName(node)} reads from outside the database and is not allowed`;
  }
  if (typeof node['server'] === 'string' && node['server'] !== '') {
    return `four-part name ${String(node['server'])}.… reaches a linked server and is not allowed`;
  }
  if (isNode(node['table_hint'])) {
    const denied = tableHintNames(node['table_hint']).find((hint) => !ALLOWED_TABLE_HINTS.has(hint));
    if (denied !== undefined) return `table hint ${denied || '(unrecognised)'} is not allowed in a read-only query`;
  }
  if (Array.isArray(node['from'])) {
    const legacy = (node['from'] as unknown[]).map(legacyLockHint).find((hint) => hint !== undefined);
    if (legacy !== undefined) return `lock hint ${legacy} blocks writers and is not allowed`;
  }
  if (isNode(node['ast']) && node['ast']['type'] !== 'select') return 'a nested statement that is not a SELECT is not allowed';
  return undefined;
}

/** Visits every node, depth first, without recursion (long AND chains make very deep trees). */
function walk(root: unknown): CheckFailure {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (!Array.isArray(value)) {
      const failure = checkNode(value as Node);
      if (failure !== undefined) return failure;
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
  }
  return undefined;
}

/** Checks a parsed AST: exactly one statement, a SELECT, and nothing inside it that writes or reaches out. */
export function checkAst(ast: unknown): CheckFailure {
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) return `only one statement is accepted, found ${statements.length}`;
  const root = statements[0];
  if (!isNode(root)) return 'the query could not be understood';
  if (root['go_next'] !== undefined) return 'GO batch separators are not accepted: send exactly one statement';
  if (root['type'] !== 'select') {
    const kind = typeof root['type'] === 'string' ? `a ${root['type'].toUpperCase()} statement` : 'another kind of statement';
    return `only SELECT or WITH … SELECT is accepted, found ${kind}`;
  }
  return walk(root);
}

/** Parses and checks; the result is the reason for refusal, or undefined when the query passes. */
export function checkWithParser(sqlForParser: string): CheckFailure {
  const parsed = parseTsql(sqlForParser);
  if ('failure' in parsed) return parsed.failure;
  return checkAst(parsed.ast);
}
