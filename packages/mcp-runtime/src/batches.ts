/**
 * JSON-RPC batches exist in one MCP revision only: 2025-03-26 added them and 2025-06-18 removed them (its
 * changelog, "Remove support for JSON-RPC batching"); 2026-07-28 has none either. A request without
 * `MCP-Protocol-Version` is taken to be 2025-03-26, as the Streamable HTTP transport asks a server to assume.
 */
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION } from '@modelcontextprotocol/server';

/** The revision whose wire format has batches (a fact of the specification, not a constant of the SDK). */
export const BATCH_REVISION = '2025-03-26';

/** Why a batch is refused under `protocolVersionHeader`, or undefined when that revision has batches. */
export function batchRefusal(protocolVersionHeader: string | undefined): string | undefined {
  const revision = protocolVersionHeader?.trim() || DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
  if (revision === BATCH_REVISION) return undefined;
  return `Invalid Request: protocol revision ${revision} has no JSON-RPC batches; send one message per request`;
}
