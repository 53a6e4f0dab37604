/** run_query: a read-only T-SQL query with named parameters, through the gate, streamed and capped. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { ToolError } from '../db/errors.ts';
import type { ParameterValue } from '../db/execute.ts';
import { MAX_QUERY_CHARS } from '../guard/index.ts';
import { READ_ONLY_ANNOTATIONS, type ToolContext } from './context.ts';
import { guarded, jsonResult } from './result.ts';

export const resultColumnSchema = z.object({ name: z.string(), type: z.string(), nullable: z.boolean().optional() });

export const queryResultSchema = z.object({
  columns: z.array(resultColumnSchema),
  rows: z.array(z.array(z.unknown())).describe('Rows as arrays, values in column order'),
  rowCount: z.number().int(),
  truncated: z.boolean().describe('True when the result went past rowLimit rows or byteLimit bytes; it was cancelled there'),
  rowLimit: z.number().int(),
  byteLimit: z.number().int(),
  note: z.string().optional(),
});

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Matches the caller's parameters to the `@names` the query uses (T-SQL variable names compare
 * without regard to case here): every used name needs a value, every value needs a use.
 */
export function bindParameters(used: string[], given: Record<string, ParameterValue>): Record<string, ParameterValue> {
  const byLower = new Map<string, [string, ParameterValue]>();
  for (const [rawName, value] of Object.entries(given)) {
    const name = rawName.startsWith('@') ? rawName.slice(1) : rawName;
    if (!PARAMETER_NAME.test(name)) throw new ToolError('invalid-input', `"${rawName}" is not a valid parameter name`);
    byLower.set(name.toLowerCase(), [name, value]);
  }
  const bound: Record<string, ParameterValue> = {};
  const missing: string[] = [];
  for (const name of used) {
    const entry = byLower.get(name.toLowerCase());
    if (entry === undefined) missing.push(`@${name}`);
    else bound[name] = entry[1];
    byLower.delete(name.toLowerCase());
  }
  if (missing.length > 0) throw new ToolError('invalid-input', `the query uses ${missing.join(', ')} but no value was given in params`);
  if (byLower.size > 0) {
    const unused = [...byLower.values()].map(([name]) => `@${name}`);
    throw new ToolError('invalid-input', `params ${unused.join(', ')} are not used by the query`);
  }
  return bound;
}

function truncationNote(by: 'rows' | 'bytes' | undefined, kept: number, config: ToolContext['config']): string {
  const cap = by === 'bytes' ? `the ${config.resultByteLimit}-byte limit` : `the ${config.rowLimit}-row limit`;
  return `only the first ${kept} rows were kept (${cap}); narrow the query (WHERE, TOP, OFFSET/FETCH, fewer or shorter columns) for the rest`;
}

export function registerQueryTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'run_query',
    {
      title: 'Run a read-only query',
      description:
        'Runs one T-SQL SELECT (or WITH … SELECT) read-only. Use @name placeholders with values in `params`. ' +
        `At most ${ctx.config.rowLimit} rows and ${ctx.config.resultByteLimit} bytes are returned (\`truncated\` says when there were more); ` +
        `the query is cancelled after ${ctx.config.queryTimeoutMs} ms. Writes, DDL, EXEC, SELECT … INTO, ` +
        'linked servers, OPENROWSET/OPENQUERY, WAITFOR, blocking lock hints, system functions and views outside the catalog ' +
        'of tables are refused, each with its reason.',
      inputSchema: z.object({
        sql: z.string().min(1).max(MAX_QUERY_CHARS).describe('One T-SQL SELECT statement'),
        params: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
          .optional()
          .describe('Values of the @name placeholders, keyed by name (without @)'),
      }),
      outputSchema: queryResultSchema,
      annotations: { title: 'Run a read-only query', ...READ_ONLY_ANNOTATIONS },
    },
    ({ sql, params }, extra) =>
      guarded('run_query', ctx.log, async () => {
        const verdict = await ctx.guard.check(sql);
        if (!verdict.ok) throw new ToolError('refused', `query refused: ${verdict.reason}`);
        const bound = bindParameters(verdict.parameters, params ?? {});
        const started = Date.now();
        const outcome = await ctx.db.run({ sql: verdict.sql, params: bound, maxRows: ctx.config.rowLimit, signal: extra.mcpReq.signal });
        const first = outcome.results[0];
        ctx.log.info({ tool: 'run_query', rows: outcome.rowCount, truncated: outcome.truncated, ms: Date.now() - started }, 'query');
        return jsonResult({
          columns: first?.columns ?? [],
          rows: first?.rows ?? [],
          rowCount: outcome.rowCount,
          truncated: outcome.truncated,
          rowLimit: ctx.config.rowLimit,
          byteLimit: ctx.config.resultByteLimit,
          ...(outcome.truncated ? { note: truncationNote(outcome.truncatedBy, outcome.rowCount, ctx.config) } : {}),
        });
      }),
  );
}
