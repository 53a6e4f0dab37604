/**
 * The one place where this runtime knows something about the MCP SDK that the SDK does not export. Each value
 * was read from the source of `@modelcontextprotocol/server` at SDK_VERSION_READ (the package.json files pin
 * that exact version, and test/sdk-internals.test.ts fails when the installed SDK is another one, so an upgrade
 * makes someone read these again). The differential test (test/differential.test.ts) checks the behaviour
 * they feed against the SDK's own handler. Everything else comes from the SDK's exports.
 */
import { ProtocolErrorCode } from '@modelcontextprotocol/server';

/** The SDK release these values were read from. */
export const SDK_VERSION_READ = '2.4.0';

/**
 * The 2026-07-28 protocol revision. SDK: `FIRST_MODERN_PROTOCOL_VERSION` (core-internal/src/shared/protocolEras.ts)
 * and `MODERN_WIRE_REVISION` (core-internal/src/wire/codec.ts), kept internal on purpose ("no public
 * modern-version constant ships before era-aware list semantics exist"); `SUPPORTED_PROTOCOL_VERSIONS` lists
 * the 2025-era revisions only.
 */
export const MODERN_REVISION = '2026-07-28';

/** SEP-2243 `HeaderMismatch`: not a member of the exported `ProtocolErrorCode`. SDK: `HEADER_MISMATCH_ERROR_CODE`. */
export const HEADER_MISMATCH = -32020;

/**
 * HTTP status of a JSON-RPC error raised before the handler runs, on the 2026-07-28 entry; errors from a handler
 * stay 200, except MissingRequiredClientCapability, which is 400 wherever it is raised. SDK:
 * `LADDER_ERROR_HTTP_STATUS` and `httpStatusForErrorCode` (server/src/server/inboundLadder.ts), indexed directly by
 * its per-request transport.
 */
export const PRE_DISPATCH_ERROR_STATUS: Readonly<Record<number, number>> = {
  [ProtocolErrorCode.ParseError]: 400,
  [ProtocolErrorCode.InvalidRequest]: 400,
  [ProtocolErrorCode.MethodNotFound]: 404,
  [ProtocolErrorCode.UnsupportedProtocolVersion]: 400,
  [ProtocolErrorCode.MissingRequiredClientCapability]: 400,
  [HEADER_MISMATCH]: 400,
};

/**
 * Which params field the 2026-07-28 `Mcp-Name` header mirrors, per method. SDK: `MCP_NAME_HEADER_SOURCE`
 * (server/src/server/inboundLadder.ts), the whole table, `tasks/*` rows included.
 */
export const MCP_NAME_HEADER_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The JSON Schema keyword by which a tool's `inputSchema` declares an `Mcp-Param-*` header. SDK: `X_MCP_HEADER_KEY`. */
export const X_MCP_HEADER_KEY = 'x-mcp-header';
