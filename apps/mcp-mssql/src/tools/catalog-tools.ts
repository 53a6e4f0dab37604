/** list_schemas, list_tables, describe_table, sample_rows: catalog-checked reads, no free SQL. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { describeTable, listSchemas, listTables, sampleRows } from '../db/catalog.ts';
import { READ_ONLY_ANNOTATIONS, type ToolContext } from './context.ts';
import { guarded, jsonResult } from './result.ts';
import { resultColumnSchema } from './query-tool.ts';

/** Most rows sample_rows returns (also bounded by MSSQL_ROW_LIMIT). */
export const MAX_SAMPLE_ROWS = 100;

const identifier = z.string().min(1).max(128);
const schemaName = identifier.default('dbo').describe('Schema name (default dbo)');
const tableName = identifier.describe('Table or view name, as list_tables shows it (no brackets)');

export function registerCatalogTools(server: McpServer, ctx: ToolContext): void {
  const run = ctx.db.run.bind(ctx.db);

  server.registerTool(
    'list_schemas',
    {
      title: 'List schemas',
      description: 'Lists the schemas of the database with how many tables and views each holds (only what this login can see).',
      outputSchema: z.object({
        schemas: z.array(z.object({ schema: z.string(), tables: z.number().int(), views: z.number().int() })),
      }),
      annotations: { title: 'List schemas', ...READ_ONLY_ANNOTATIONS },
    },
    (extra) => guarded('list_schemas', ctx.log, async () => jsonResult({ schemas: await listSchemas(run, extra.mcpReq.signal) })),
  );

  server.registerTool(
    'list_tables',
    {
      title: 'List tables and views',
      description: 'Lists tables and views, optionally of one schema.',
      inputSchema: z.object({ schema: identifier.optional().describe('Only this schema') }),
      outputSchema: z.object({
        tables: z.array(z.object({ schema: z.string(), name: z.string(), type: z.string() })),
        truncated: z.boolean(),
      }),
      annotations: { title: 'List tables and views', ...READ_ONLY_ANNOTATIONS },
    },
    ({ schema }, extra) => guarded('list_tables', ctx.log, async () => jsonResult(await listTables(run, schema, extra.mcpReq.signal))),
  );

  server.registerTool(
    'describe_table',
    {
      title: 'Describe a table',
      description: 'Columns (type, nullability, identity, default), primary key, indexes and foreign keys of a table or view.',
      inputSchema: z.object({ schema: schemaName, table: tableName }),
      annotations: { title: 'Describe a table', ...READ_ONLY_ANNOTATIONS },
    },
    ({ schema, table }, extra) =>
      guarded('describe_table', ctx.log, async () => jsonResult(await describeTable(run, schema, table, extra.mcpReq.signal))),
  );

  server.registerTool(
    'sample_rows',
    {
      title: 'Sample rows',
      description: `Returns up to \`limit\` rows (at most ${MAX_SAMPLE_ROWS}) of a table or view, optionally only some columns. Names are checked against the catalog.`,
      inputSchema: z.object({
        schema: schemaName,
        table: tableName,
        limit: z.number().int().min(1).max(MAX_SAMPLE_ROWS).default(10).describe(`Rows to return (1-${MAX_SAMPLE_ROWS}, default 10)`),
        columns: z.array(identifier).max(1024).optional().describe('Only these columns (default: all)'),
      }),
      outputSchema: z.object({
        schema: z.string(),
        table: z.string(),
        columns: z.array(resultColumnSchema),
        rows: z.array(z.array(z.unknown())),
        rowCount: z.number().int(),
        truncated: z.boolean(),
      }),
      annotations: { title: 'Sample rows', ...READ_ONLY_ANNOTATIONS },
    },
    ({ schema, table, limit, columns }, extra) =>
      guarded('sample_rows', ctx.log, async () => {
        const capped = Math.min(limit, ctx.config.rowLimit);
        const { object, outcome } = await sampleRows(
          run,
          { schema, table, limit: capped, ...(columns === undefined ? {} : { columns }) },
          extra.mcpReq.signal,
        );
        const first = outcome.results[0];
        return jsonResult({
          schema: object.schema,
          table: object.name,
          columns: first?.columns ?? [],
          rows: first?.rows ?? [],
          rowCount: outcome.rowCount,
          truncated: outcome.truncated,
        });
      }),
  );
}
