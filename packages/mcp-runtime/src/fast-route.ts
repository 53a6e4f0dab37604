/**
 * Which leg serves a parsed message: the shared-instance fast path (per era) or the SDK's own
 * per-request entry. Only plain, valid requests for the hot methods take the fast path; anything
 * unusual (initialize, server/discover, notifications, batches, header mismatches, bad envelopes,
 * unsupported versions...) goes to the SDK, which owns those answers.
 */
import { classifyInboundRequest, isJSONRPCRequest, PROTOCOL_VERSION_META_KEY, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { MCP_NAME_HEADER_SOURCE, MODERN_REVISION } from './sdk-internals.ts';

/** Methods served by the shared instances. */
export const FAST_METHODS: ReadonlySet<string> = new Set([
  'tools/call',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'ping',
]);

const LEGACY_VERSIONS: ReadonlySet<string> = new Set(SUPPORTED_PROTOCOL_VERSIONS.filter((version) => version < MODERN_REVISION));

/** The three standard request headers, as received. */
export interface StandardHeaders {
  protocolVersion: string | undefined;
  mcpMethod: string | undefined;
  mcpName: string | undefined;
}

/** Where to send a message. */
export type Leg = 'legacy' | 'modern' | 'sdk';

/** Tools whose calls must take the SDK leg (they declare Mcp-Param headers or scope challenges). */
export type SlowTools = ReadonlySet<string>;

/** A parsed request, as far as routing needs to know (the SDK's schema check comes after). */
interface RequestShape {
  jsonrpc: unknown;
  id: unknown;
  method: string;
  params?: Record<string, unknown>;
}

/** Cheap pre-filter: an object with a string method and an object (or absent) params. */
function looksLikeRequest(body: unknown): body is RequestShape {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const message = body as { method?: unknown; params?: unknown };
  return (
    typeof message.method === 'string' &&
    (message.params === undefined || (message.params !== null && typeof message.params === 'object' && !Array.isArray(message.params)))
  );
}

/** The SDK's own classification of a POST with these headers and body. */
export function classifyWithSdk(body: unknown, headers: StandardHeaders): ReturnType<typeof classifyInboundRequest> {
  return classifyInboundRequest({
    httpMethod: 'POST',
    ...(headers.protocolVersion !== undefined && { protocolVersionHeader: headers.protocolVersion }),
    ...(headers.mcpMethod !== undefined && { mcpMethodHeader: headers.mcpMethod }),
    ...(headers.mcpName !== undefined && { mcpNameHeader: headers.mcpName }),
    body,
  });
}

/** Chooses the leg for a parsed POST body. */
export function chooseLeg(body: unknown, headers: StandardHeaders, slowTools: SlowTools): Leg {
  if (!looksLikeRequest(body) || !FAST_METHODS.has(body.method)) return 'sdk';
  const nameField = Object.hasOwn(MCP_NAME_HEADER_SOURCE, body.method) ? MCP_NAME_HEADER_SOURCE[body.method] : undefined;
  const nameValue = nameField === undefined ? undefined : body.params?.[nameField];
  if (body.method === 'tools/call' && (typeof nameValue !== 'string' || slowTools.has(nameValue))) return 'sdk';
  const meta = body.params?._meta;
  const claimsEnvelope = meta !== null && typeof meta === 'object' && !Array.isArray(meta) && PROTOCOL_VERSION_META_KEY in meta;
  if (!claimsEnvelope) {
    // The SDK classifier's "no-claim" legacy route with only the schema check it needs: a claim-less,
    // valid JSON-RPC request for a hot method (never `initialize`) with no version header or a 2025-era
    // one. The SDK's own request check matters: its protocol layer drops a body that fails it without an
    // answer, while the SDK entry answers 400 / -32600. A modern or unknown header is left to the SDK too.
    if (!isJSONRPCRequest(body)) return 'sdk';
    return headers.protocolVersion === undefined || LEGACY_VERSIONS.has(headers.protocolVersion.trim()) ? 'legacy' : 'sdk';
  }
  // The classifier checks the JSON-RPC request schema and the envelope itself.
  const outcome = classifyWithSdk(body, headers);
  if (outcome.kind !== 'modern' || outcome.messageKind !== 'request' || outcome.classification.revision !== MODERN_REVISION) return 'sdk';
  // The SDK entry requires these headers on a modern request; exact matches only, anything else gets its answer.
  if (headers.protocolVersion?.trim() !== MODERN_REVISION || headers.mcpMethod?.trim() !== body.method) return 'sdk';
  if (nameField !== undefined && (typeof nameValue !== 'string' || headers.mcpName?.trim() !== nameValue)) return 'sdk';
  return 'modern';
}

/** A 2025-era `notifications/cancelled` (no 2026-07-28 envelope, no modern header): the request it names. */
export function legacyCancellation(
  body: unknown,
  headers: StandardHeaders,
): { requestId: string | number; reason: string | undefined } | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const message = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: { requestId?: unknown; reason?: unknown; _meta?: unknown } };
  if (message.jsonrpc !== '2.0' || message.method !== 'notifications/cancelled' || message.id !== undefined) return undefined;
  if (headers.protocolVersion !== undefined && !LEGACY_VERSIONS.has(headers.protocolVersion.trim())) return undefined;
  const meta = message.params?._meta;
  if (meta !== null && typeof meta === 'object' && PROTOCOL_VERSION_META_KEY in meta) return undefined;
  const requestId = message.params?.requestId;
  if (typeof requestId !== 'string' && typeof requestId !== 'number') return undefined;
  return { requestId, reason: typeof message.params?.reason === 'string' ? message.params.reason : undefined };
}
