/** Registers every tool of mcp-mssql on a server. */
import type { McpServer } from '@modelcontextprotocol/server';
import { registerCatalogTools } from './catalog-tools.ts';
import type { ToolContext } from './context.ts';
import { registerQueryTool } from './query-tool.ts';

export type { ToolContext } from './context.ts';

/** The tools, in the order clients list them. */
export const TOOL_NAMES = ['list_schemas', 'list_tables', 'describe_table', 'sample_rows', 'run_query'] as const;

export function registerTools(server: McpServer, ctx: ToolContext): void {
  registerCatalogTools(server, ctx);
  registerQueryTool(server, ctx);
}
