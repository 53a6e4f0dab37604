/** JSON-RPC error bodies for HTTP-level refusals: clients always get JSON, never HTML. */

/** JSON-RPC 2.0 error codes used at the HTTP edge. */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
export const JSONRPC_INTERNAL_ERROR = -32603;
/** Implementation-defined server error (the SDK uses it for transport-level refusals). */
export const JSONRPC_SERVER_ERROR = -32000;

/** Serializes a JSON-RPC error response. `id` is null when the request's id is unknown. */
export function jsonRpcErrorBody(code: number, message: string, id: string | number | null = null): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
}
