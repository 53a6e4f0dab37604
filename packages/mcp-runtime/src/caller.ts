/**
 * Who is calling, as the gateway verified it: every MCP route's access policy sets `x-mcp-caller` to the token's
 * object id (`oid`), replacing any copy a client sent (docs/contracts.md, "Every MCP server"). The servers' network
 * policy admits only the gateway's pods, so the value is trusted as it arrives; a request without it did not come
 * through the gateway.
 */
import type { IncomingMessage } from 'node:http';

export const CALLER_HEADER = 'x-mcp-caller';

/** The verified caller, or undefined when the header is missing, empty or not a plain identifier. */
export function callerOf(req: IncomingMessage): string | undefined {
  const value = req.headers[CALLER_HEADER];
  const text = Array.isArray(value) ? undefined : value;
  return text !== undefined && /^[\x21-\x7e]{1,256}$/.test(text) ? text : undefined;
}
