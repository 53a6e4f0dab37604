/**
 * The parse-tree gate: exactly one SELECT, and every object, function, system variable and table hint
 * in it on the allow-list (allow-list.ts). What the walk does not recognise is refused: it reads only
 * the rules it knows, and a rule it knows in a shape it does not is a refusal, not a pass.
 */
import {
  ALLOWED_CATALOG_VIEWS,
  ALLOWED_FUNCTIONS,
  ALLOWED_SYSTEM_VARIABLES,
  ALLOWED_TABLE_FUNCTIONS,
  ALLOWED_TABLE_HINTS,
  COMPATIBILITY_VIEWS,
  REFUSAL_REASONS,
  SYSTEM_DATABASES,
  SYSTEM_NAME_PREFIXES,
  SYSTEM_SCHEMAS,
} from './allow-list.ts';
import type { SqlNode } from './sql-parser.ts';
import type { CheckFailure } from './token-checks.ts';

/** Function rules of the grammar whose first token is the function's name. */
const NAMED_BY_FIRST_TOKEN: ReadonlySet<string> = new Set([
  'aggregate_windowed_function',
  'analytic_windowed_function',
  'ranking_windowed_function',
  'build_in_functions',
]);

/** Rules that read outside the database or need state this tool never has. */
const REFUSED_RULES: ReadonlyMap<string, string> = new Map([
  ['rowset_function', 'OPENROWSET and OPENDATASOURCE read files or other servers'],
  ['openquery', 'OPENQUERY runs a query on a linked server'],
  ['open_xml', 'OPENXML needs a document handle from a procedure'],
  ['change_table', 'CHANGETABLE is not among the table sources this tool allows'],
  ['option_clause', 'query hints (OPTION …) change how the server runs the query and are not accepted'],
]);

function leaves(node: SqlNode): SqlNode[] {
  const out: SqlNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.rule === undefined) out.push(current);
    for (let i = current.children.length - 1; i >= 0; i -= 1) stack.push(current.children[i]!);
  }
  return out;
}

function descendants(node: SqlNode, rule: string): SqlNode[] {
  const out: SqlNode[] = [];
  const stack = [...node.children];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.rule === rule) out.push(current);
    stack.push(...current.children);
  }
  return out;
}

/** `[a]]b]` → `a]b`, `"x"` → `x`, `Orders` → `Orders`. */
export function unquote(identifier: string): string {
  if (identifier.startsWith('[') && identifier.endsWith(']')) return identifier.slice(1, -1).replaceAll(']]', ']');
  if (identifier.startsWith('"') && identifier.endsWith('"')) return identifier.slice(1, -1).replaceAll('""', '"');
  return identifier;
}

/** The parts of a dotted name, empty parts kept (`Sales..Orders` → ["Sales", "", "Orders"]). */
export function nameParts(node: SqlNode): string[] {
  const parts = [''];
  for (const leaf of leaves(node)) {
    if (leaf.text === '.') parts.push('');
    else parts[parts.length - 1] += unquote(leaf.text);
  }
  return parts;
}

function refusedName(name: string, fallback: string): string {
  return REFUSAL_REASONS.get(name.toUpperCase()) ?? fallback;
}

/** A table, view or synonym: a user schema's, or an allowed catalog view. */
export function checkObjectName(parts: string[]): CheckFailure {
  const shown = parts.join('.');
  if (parts.length > 3) return `four-part name ${shown} reaches a linked server and is not allowed`;
  const [database, schema, object] = parts.length === 3 ? parts : parts.length === 2 ? [undefined, ...parts] : [undefined, '', parts[0]!];
  const name = object!.toUpperCase();
  if (database !== undefined && SYSTEM_DATABASES.has(database.toUpperCase())) {
    return `${shown} is in the system database ${database}; only user databases are read`;
  }
  if (name.startsWith('#')) return `${shown} is a temporary table; temporary tables belong to other sessions and are not read here`;
  if (COMPATIBILITY_VIEWS.has(name)) return `${shown} is a system compatibility view and is not allowed`;
  const schemaName = schema!.toUpperCase();
  if (SYSTEM_SCHEMAS.has(schemaName)) {
    if (ALLOWED_CATALOG_VIEWS.has(`${schemaName}.${name}`)) return undefined;
    return refusedName(name.replace(/^SYS\./, ''), `${shown} is not among the catalog views a query may read (tables, columns, keys, indexes: see the README)`);
  }
  if (schemaName === '' && SYSTEM_NAME_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    return refusedName(name, `"${object}" without a schema names a system object; write the schema (dbo.${object}) if it is a table of yours`);
  }
  return undefined;
}

/** A function in an expression: an allowed built-in, or a user schema's function. */
export function checkFunctionName(parts: string[]): CheckFailure {
  const shown = parts.join('.');
  const name = parts[parts.length - 1]!.toUpperCase();
  if (parts.length > 3) return `four-part name ${shown} reaches a linked server and is not allowed`;
  if (parts.length === 1) {
    if (ALLOWED_FUNCTIONS.has(name)) return undefined;
    return refusedName(name, `${parts[0]} is not among the built-in functions a read-only query may call (see the README); a function of yours needs its schema (dbo.${parts[0]})`);
  }
  if (parts.length === 3 && SYSTEM_DATABASES.has(parts[0]!.toUpperCase())) return `${shown} is in the system database ${parts[0]}; only user databases are read`;
  const schema = parts[parts.length - 2]!.toUpperCase();
  if (SYSTEM_SCHEMAS.has(schema) || schema === '') return refusedName(name, `${shown} is a system function and is not allowed`);
  return undefined;
}

/** A table-valued function in FROM: an allowed built-in, or a user schema's function. */
function checkTableFunctionName(parts: string[]): CheckFailure {
  if (parts.length === 1) {
    const name = parts[0]!.toUpperCase();
    if (ALLOWED_TABLE_FUNCTIONS.has(name)) return undefined;
    return refusedName(name, `${parts[0]} is not among the built-in table-valued functions a query may call; a function of yours needs its schema (dbo.${parts[0]})`);
  }
  return checkFunctionName(parts);
}

function firstLeafText(node: SqlNode): string {
  return leaves(node)[0]?.text ?? '';
}

function isStringLiteral(node: SqlNode | undefined): boolean {
  if (node === undefined) return false;
  const all = leaves(node);
  return all.length === 1 && /^N?'/i.test(all[0]!.text);
}

/** REPLICATE of a max-typed value builds up to 2 GB; of a literal, at most 8,000 bytes. */
function checkReplicate(call: SqlNode): CheckFailure {
  const list = call.children.find((c) => c.rule === 'expression_list');
  const first = list?.children.find((c) => c.rule === 'expression');
  if (isStringLiteral(first)) return undefined;
  return 'REPLICATE can build values of up to 2 GB: its first argument must be a string literal (the result then stays within 8,000 bytes)';
}

function checkFunctionCall(call: SqlNode, inFrom: boolean): CheckFailure {
  const head = call.children[0];
  if (head?.rule !== undefined && NAMED_BY_FIRST_TOKEN.has(head.rule)) {
    return inFrom ? checkTableFunctionName([firstLeafText(head)]) : checkFunctionName([firstLeafText(head)]);
  }
  if (head?.rule === 'scalar_function_name') {
    const parts = nameParts(head);
    const failure = inFrom ? checkTableFunctionName(parts) : checkFunctionName(parts);
    if (failure !== undefined) return failure;
    if (parts.length === 1 && parts[0]!.toUpperCase() === 'REPLICATE') return checkReplicate(call);
    return undefined;
  }
  return `the function call "${call.text.slice(0, 60)}" is not in a form the guard recognises`;
}

function checkTableHints(hints: SqlNode): CheckFailure {
  for (const hint of hints.children.filter((c) => c.rule === 'table_hint')) {
    const name = firstLeafText(hint).toUpperCase();
    if (!ALLOWED_TABLE_HINTS.has(name)) return `table hint ${name} is not allowed in a read-only query (allowed: ${[...ALLOWED_TABLE_HINTS].join(', ')})`;
  }
  return undefined;
}

/** `SELECT @x = col` assigns a variable instead of returning a column. */
function checkSelectListElement(element: SqlNode): CheckFailure {
  const [first, second] = element.children;
  if (first?.rule === undefined && first?.text.startsWith('@') && second?.rule === undefined && /=$/.test(second?.text ?? '')) {
    return `assigning to ${first.text} is not a query: return the value as a column`;
  }
  return undefined;
}

/** Table methods and static calls (`col.value(…)`, `geography::Point(…)`) must not name a system schema. */
function checkUdtElement(element: SqlNode): CheckFailure {
  const system = element.children.find((c) => c.rule === 'id' && SYSTEM_SCHEMAS.has(unquote(c.text).toUpperCase()));
  return system === undefined ? undefined : `${element.text.slice(0, 60)} calls a system function and is not allowed`;
}

/** FOR XML / FOR JSON results are assembled whole by the driver: no cartesian product under them. */
function checkForClause(statement: SqlNode): CheckFailure {
  const forClause = statement.children.find((c) => c.rule === 'for_clause');
  if (forClause === undefined) return undefined;
  const kind = leaves(forClause)[1]?.text.toUpperCase() ?? 'XML';
  const why = `FOR ${kind} builds one value in memory, so a cartesian product under it is refused`;
  if (descendants(statement, 'cross_join').length > 0) return `${why} (CROSS JOIN)`;
  if (descendants(statement, 'table_sources').some((sources) => sources.children.filter((c) => c.rule === 'table_source').length > 1)) {
    return `${why} (tables separated by commas: join them ON a condition)`;
  }
  const constantJoin = descendants(statement, 'join_on').find((join) => {
    const condition = join.children.find((c) => c.rule === 'search_condition');
    return condition === undefined || descendants(condition, 'full_column_name').length === 0;
  });
  return constantJoin === undefined ? undefined : `${why} (a JOIN whose ON condition names no column)`;
}

/** Checks one node (its children are visited by the walk); returns the reason when it is refused. */
function checkNode(node: SqlNode, parent: SqlNode | undefined): CheckFailure {
  if (node.rule === undefined) {
    if (node.text.startsWith('@@') && !ALLOWED_SYSTEM_VARIABLES.has(node.text.toUpperCase())) {
      return `${node.text} is not among the system variables a query may read (${[...ALLOWED_SYSTEM_VARIABLES].join(', ')})`;
    }
    return undefined;
  }
  const refused = REFUSED_RULES.get(node.rule);
  if (refused !== undefined) return refused;
  switch (node.rule) {
    case 'query_specification':
      return node.children.some((c) => c.rule === undefined && c.text.toUpperCase() === 'INTO') ? 'SELECT … INTO creates a table and is not allowed' : undefined;
    case 'select_statement':
      return checkForClause(node);
    case 'table_name':
    case 'full_table_name':
      return checkObjectName(nameParts(node));
    case 'with_table_hints':
      return checkTableHints(node);
    case 'function_call':
      return checkFunctionCall(node, parent?.rule === 'table_source_item');
    case 'table_source_item':
      return node.children[0]?.text === ':' ? 'the ::function syntax calls system table functions and is not allowed' : undefined;
    case 'select_list_elem':
      return checkSelectListElement(node);
    case 'udt_elem':
      return checkUdtElement(node);
    default:
      return undefined;
  }
}

/** Visits every node, depth first, without recursion (long AND chains make very deep trees). */
function walk(root: SqlNode): CheckFailure {
  const stack: Array<[SqlNode, SqlNode | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    const failure = checkNode(node, parent);
    if (failure !== undefined) return failure;
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push([node.children[i]!, node]);
  }
  return undefined;
}

/** The one statement of the text: `tsql_file > batch > sql_clauses > <statement>`; else why not. */
function singleStatement(root: SqlNode): SqlNode | string {
  const batches = root.children.filter((c) => c.rule !== undefined);
  if (batches.length !== 1) return 'only one statement is accepted';
  const batch = batches[0]!;
  const clauses = batch.children.filter((c) => c.rule !== undefined);
  if (clauses.length !== 1 || clauses[0]!.rule !== 'sql_clauses') return 'only one statement is accepted';
  const statements = clauses[0]!.children.filter((c) => c.rule !== undefined);
  if (statements.length !== 1) return `only one statement is accepted, found ${statements.length}`;
  return statements[0]!;
}

/** Checks a parse tree: exactly one statement, a SELECT, and nothing in it outside the allow-list. */
export function checkTree(root: SqlNode): CheckFailure {
  const statement = singleStatement(root);
  if (typeof statement === 'string') return statement;
  const select = statement.rule === 'dml_clause' ? statement.children[0] : undefined;
  if (select?.rule !== 'select_statement_standalone') {
    return `only SELECT or WITH … SELECT is accepted, found "${firstLeafText(statement).toUpperCase()}"`;
  }
  return walk(select);
}
