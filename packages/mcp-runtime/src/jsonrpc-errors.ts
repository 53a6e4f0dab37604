/** JSON-RPC error bodies for HTTP-level refusals: clients always get JSON, never HTML. */
export { INTERNAL_ERROR as JSONRPC_INTERNAL_ERROR, INVALID_REQUEST as JSONRPC_INVALID_REQUEST, PARSE_ERROR as JSONRPC_PARSE_ERROR } from '@modelcontextprotocol/server';

/** JSON-RPC 2.0's first implementation-defined server error; the SDK answers its transport refusals with it too. */
export const JSONRPC_SERVER_ERROR = -32000;

/** Serializes a JSON-RPC error response. `id` is null when the request's id is unknown. */
export function jsonRpcErrorBody(code: number, message: string, id: string | number | null = null): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
}
