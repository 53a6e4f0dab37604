/** @mcp-gateway/tool-lock: the reviewed tool surface of an MCP server, its digests, and differences from it. */
export { canonicalJson, sha256, sortKeys, type JsonObject, type JsonValue } from './canonical.ts';
export {
  buildLock,
  digestProblems,
  formatLock,
  LOCK_DIR,
  LOCK_SCHEMA_PATH,
  LOCKED_FIELDS,
  lockPath,
  lockTools,
  LockFormatError,
  parseLock,
  surfaceDigest,
  toolDefinition,
  toolDigest,
  type ListedTool,
  type LockedField,
  type LockProblem,
  type LockedTool,
  type LockSource,
  type ToolDefinition,
  type ToolLock,
} from './lock.ts';
export { compareSurfaces, describeDifference, differenceCount, type SurfaceDifference, type ToolChange } from './compare.ts';
export { shortTextDiff } from './text-diff.ts';
