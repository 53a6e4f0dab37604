/** The seam between the HTTP server (edge checks, logs, metrics) and the MCP protocol handling. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestOutcome } from './metrics.ts';

/** One JSON-RPC exchange, already past the edge checks, with its body parsed. */
export interface McpExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The parsed JSON body (any JSON value; the endpoint validates its shape). */
  body: unknown;
}

/** Serves MCP exchanges; resolves once the response has been fully written. */
export interface McpEndpoint {
  handle(exchange: McpExchange): Promise<RequestOutcome>;
  /** Aborts what is still running and releases server instances. */
  close(): Promise<void>;
}
