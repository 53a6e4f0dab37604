/**
 * Tool results: compact JSON as text plus the same object as structured content; failures as
 * `isError` results whose text says what went wrong and what kind of failure it is.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { ToolError } from '../db/errors.ts';
import type { Logger } from '@mcp-gateway/telemetry';

/** A successful result carrying `value` as structured content and as JSON text. */
export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { structuredContent: value, content: [{ type: 'text', text: JSON.stringify(value) }] };
}

/** A failed call: `error (<kind>): <message>`; unexpected errors are logged and reported without detail. */
export function errorResult(error: unknown, tool: string, log: Logger): CallToolResult {
  if (error instanceof ToolError) {
    log.info({ tool, kind: error.kind }, 'tool call failed');
    return { isError: true, content: [{ type: 'text', text: `error (${error.kind}): ${error.message}` }] };
  }
  log.error({ tool, error: error instanceof Error ? error.name : typeof error }, 'tool call failed unexpectedly');
  return { isError: true, content: [{ type: 'text', text: 'error (internal): mcp-mssql failed unexpectedly; the server log has details' }] };
}

/** Runs a tool body, turning any throw into an error result. */
export async function guarded(tool: string, log: Logger, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  const started = Date.now();
  try {
    const result = await body();
    log.debug({ tool, ms: Date.now() - started }, 'tool call');
    return result;
  } catch (error) {
    return errorResult(error, tool, log);
  }
}
