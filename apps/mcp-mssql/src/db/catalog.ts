/**
 * Catalog lookups (sys views, always with parameters) and the statements built from them.
 * A table or column name from a caller is only ever used as a parameter value, or, once the
 * catalog has returned its exact spelling, quoted with brackets.
 */
import { ToolError } from './errors.ts';
import type { ParameterValue, QueryOutcome, QueryResult, ReadOnlyQuery } from './execute.ts';
import { quoteIdentifier, quoteQualified } from './quote.ts';

/** Runs a read-only query (the app's Database.run). */
export type QueryRunner = (query: ReadOnlyQuery) => Promise<QueryOutcome>;

/** Catalog results are small; this bounds them anyway. */
export const CATALOG_ROW_CAP = 10_000;

/** Rows of a result as objects keyed by column name. */
export function asObjects(result: QueryResult | undefined): Record<string, unknown>[] {
  if (result === undefined) return [];
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
}

async function catalogQuery(run: QueryRunner, sql: string, params: Record<string, ParameterValue>, signal?: AbortSignal) {
  return run({ sql, params, maxRows: CATALOG_ROW_CAP, ...(signal === undefined ? {} : { signal }) });
}

export const LIST_SCHEMAS_SQL = `SELECT s.name AS [schema],
  SUM(CASE WHEN o.type = 'U' THEN 1 ELSE 0 END) AS tables,
  SUM(CASE WHEN o.type = 'V' THEN 1 ELSE 0 END) AS views
FROM sys.schemas AS s
LEFT JOIN sys.objects AS o ON o.schema_id = s.schema_id AND o.type IN ('U', 'V') AND o.is_ms_shipped = 0
WHERE s.name NOT IN ('sys', 'INFORMATION_SCHEMA', 'guest') AND s.schema_id < 16384
GROUP BY s.name
ORDER BY s.name`;

export const LIST_TABLES_SQL = `SELECT s.name AS [schema], o.name AS name,
  CASE o.type WHEN 'U' THEN 'table' ELSE 'view' END AS type
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0 AND (@schema IS NULL OR s.name = @schema)
ORDER BY s.name, o.name`;

export const RESOLVE_OBJECT_SQL = `SELECT o.object_id AS objectId, s.name AS [schema], o.name AS name,
  CASE o.type WHEN 'U' THEN 'table' ELSE 'view' END AS type,
  CASE WHEN s.name = @schema THEN 1 ELSE 0 END AS inSchema
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.type IN ('U', 'V') AND o.name = @name
ORDER BY inSchema DESC, s.name`;

export const DESCRIBE_SQL = `SELECT c.name, TYPE_NAME(c.user_type_id) AS type, c.max_length AS maxLength, c.precision, c.scale,
  c.is_nullable AS nullable, c.is_identity AS isIdentity, c.is_computed AS isComputed,
  OBJECT_DEFINITION(c.default_object_id) AS defaultValue
FROM sys.columns AS c
WHERE c.object_id = @objectId
ORDER BY c.column_id;
SELECT i.name AS indexName, i.type_desc AS kind, i.is_unique AS isUnique, i.is_primary_key AS isPrimaryKey,
  c.name AS columnName, ic.is_included_column AS included, ic.is_descending_key AS descending
FROM sys.indexes AS i
JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE i.object_id = @objectId AND i.type > 0
ORDER BY i.index_id, ic.is_included_column, ic.key_ordinal, ic.index_column_id;
SELECT fk.name AS foreignKey, pc.name AS columnName, rs.name AS refSchema, ro.name AS refTable, rc.name AS refColumn,
  fk.delete_referential_action_desc AS onDelete, fk.update_referential_action_desc AS onUpdate
FROM sys.foreign_keys AS fk
JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
JOIN sys.columns AS pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
JOIN sys.objects AS ro ON ro.object_id = fkc.referenced_object_id
JOIN sys.schemas AS rs ON rs.schema_id = ro.schema_id
JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
WHERE fk.parent_object_id = @objectId
ORDER BY fk.name, fkc.constraint_column_id`;

export const COLUMN_NAMES_SQL = `SELECT c.name FROM sys.columns AS c WHERE c.object_id = @objectId ORDER BY c.column_id`;

/** A table or view as the catalog spells it. */
export interface CatalogObject {
  objectId: number;
  schema: string;
  name: string;
  type: 'table' | 'view';
}

export async function listSchemas(run: QueryRunner, signal?: AbortSignal) {
  const outcome = await catalogQuery(run, LIST_SCHEMAS_SQL, {}, signal);
  return asObjects(outcome.results[0]).map((r) => ({ schema: String(r['schema']), tables: Number(r['tables']), views: Number(r['views']) }));
}

export async function listTables(run: QueryRunner, schema: string | undefined, signal?: AbortSignal) {
  const outcome = await catalogQuery(run, LIST_TABLES_SQL, { schema: schema ?? null }, signal);
  const tables = asObjects(outcome.results[0]).map((r) => ({ schema: String(r['schema']), name: String(r['name']), type: String(r['type']) }));
  return { tables, truncated: outcome.truncated };
}

/** Finds a table or view; a clear not-found error names where the name does exist, if anywhere. */
export async function resolveObject(run: QueryRunner, schema: string, name: string, signal?: AbortSignal): Promise<CatalogObject> {
  const outcome = await catalogQuery(run, RESOLVE_OBJECT_SQL, { schema, name }, signal);
  const rows = asObjects(outcome.results[0]);
  const match = rows.find((r) => Number(r['inSchema']) === 1);
  if (match !== undefined) {
    return {
      objectId: Number(match['objectId']),
      schema: String(match['schema']),
      name: String(match['name']),
      type: match['type'] === 'view' ? 'view' : 'table',
    };
  }
  const elsewhere = rows.map((r) => `${String(r['schema'])}.${String(r['name'])}`);
  const hint = elsewhere.length > 0 ? ` (found: ${elsewhere.join(', ')})` : ' (list_tables shows what exists)';
  throw new ToolError('not-found', `no table or view ${schema}.${name} is visible to this login${hint}`);
}

/** A T-SQL type with its size, e.g. nvarchar(50), decimal(18,2), varchar(max). */
export function formatColumnType(type: string, maxLength: number, precision: number, scale: number): string {
  const t = type.toLowerCase();
  if (['varchar', 'char', 'varbinary', 'binary'].includes(t)) return `${t}(${maxLength === -1 ? 'max' : maxLength})`;
  if (['nvarchar', 'nchar'].includes(t)) return `${t}(${maxLength === -1 ? 'max' : maxLength / 2})`;
  if (['decimal', 'numeric'].includes(t)) return `${t}(${precision},${scale})`;
  if (['datetime2', 'time', 'datetimeoffset'].includes(t)) return `${t}(${scale})`;
  return t;
}

function describeColumns(rows: Record<string, unknown>[]) {
  return rows.map((r) => ({
    name: String(r['name']),
    type: formatColumnType(String(r['type']), Number(r['maxLength']), Number(r['precision']), Number(r['scale'])),
    nullable: Boolean(r['nullable']),
    ...(r['isIdentity'] ? { identity: true } : {}),
    ...(r['isComputed'] ? { computed: true } : {}),
    ...(r['defaultValue'] == null ? {} : { default: String(r['defaultValue']) }),
  }));
}

interface IndexInfo {
  name: string;
  kind: string;
  unique: boolean;
  primaryKey: boolean;
  columns: string[];
  included: string[];
}

function describeIndexes(rows: Record<string, unknown>[]): IndexInfo[] {
  const byName = new Map<string, IndexInfo>();
  for (const r of rows) {
    const name = String(r['indexName']);
    let index = byName.get(name);
    if (index === undefined) {
      index = { name, kind: String(r['kind']).toLowerCase(), unique: Boolean(r['isUnique']), primaryKey: Boolean(r['isPrimaryKey']), columns: [], included: [] };
      byName.set(name, index);
    }
    const column = String(r['columnName']) + (r['descending'] ? ' DESC' : '');
    (r['included'] ? index.included : index.columns).push(column);
  }
  return [...byName.values()];
}

function describeForeignKeys(rows: Record<string, unknown>[]) {
  const byName = new Map<string, { name: string; columns: string[]; references: { schema: string; table: string; columns: string[] }; onDelete: string; onUpdate: string }>();
  for (const r of rows) {
    const name = String(r['foreignKey']);
    let fk = byName.get(name);
    if (fk === undefined) {
      fk = {
        name,
        columns: [],
        references: { schema: String(r['refSchema']), table: String(r['refTable']), columns: [] },
        onDelete: String(r['onDelete']).toLowerCase(),
        onUpdate: String(r['onUpdate']).toLowerCase(),
      };
      byName.set(name, fk);
    }
    fk.columns.push(String(r['columnName']));
    fk.references.columns.push(String(r['refColumn']));
  }
  return [...byName.values()];
}

/** Columns, primary key, indexes and foreign keys of a table or view. */
export async function describeTable(run: QueryRunner, schema: string, name: string, signal?: AbortSignal) {
  const object = await resolveObject(run, schema, name, signal);
  const outcome = await catalogQuery(run, DESCRIBE_SQL, { objectId: object.objectId }, signal);
  const indexes = describeIndexes(asObjects(outcome.results[1]));
  const primary = indexes.find((index) => index.primaryKey);
  return {
    schema: object.schema,
    name: object.name,
    type: object.type,
    columns: describeColumns(asObjects(outcome.results[0])),
    primaryKey: primary === undefined ? null : { name: primary.name, columns: primary.columns },
    indexes,
    foreignKeys: describeForeignKeys(asObjects(outcome.results[2])),
  };
}

/** Picks the catalog spelling of each requested column (exact match first, then a unique case-insensitive one). */
export function matchColumns(requested: string[], known: string[]): string[] {
  return requested.map((want) => {
    if (known.includes(want)) return want;
    const folded = known.filter((k) => k.toLowerCase() === want.toLowerCase());
    if (folded.length === 1) return folded[0]!;
    throw new ToolError('not-found', `no column "${want}" (columns: ${known.join(', ')})`);
  });
}

/** The statement sample_rows runs: names from the catalog, bracket-quoted; the row count a parameter. */
export function buildSampleSql(object: Pick<CatalogObject, 'schema' | 'name'>, columns: string[] | undefined): string {
  const list = columns === undefined || columns.length === 0 ? '*' : columns.map(quoteIdentifier).join(', ');
  return `SELECT TOP (@limit) ${list} FROM ${quoteQualified(object.schema, object.name)}`;
}

/** Up to `limit` rows of a table or view, optionally only some columns. */
export async function sampleRows(
  run: QueryRunner,
  request: { schema: string; table: string; limit: number; columns?: string[] },
  signal?: AbortSignal,
) {
  const object = await resolveObject(run, request.schema, request.table, signal);
  let columns: string[] | undefined;
  if (request.columns !== undefined && request.columns.length > 0) {
    const known = asObjects((await catalogQuery(run, COLUMN_NAMES_SQL, { objectId: object.objectId }, signal)).results[0]).map((r) =>
      String(r['name']),
    );
    columns = matchColumns(request.columns, known);
  }
  const outcome = await run({
    sql: buildSampleSql(object, columns),
    params: { limit: request.limit },
    maxRows: request.limit,
    ...(signal === undefined ? {} : { signal }),
  });
  return { object, outcome };
}
