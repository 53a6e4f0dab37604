/**
 * The start-up check of the tool lock: the lock the generator renders for this server (mounted from a ConfigMap,
 * named by MCP_TOOL_LOCK_FILE) against the tools this process registered. The gateway already serves only locked
 * tool names; this is how an operator learns that the image does not match its lock (a tool added or removed, or
 * a description, schema or annotation changed under a locked name, which the gateway cannot see).
 */
import { readFileSync } from 'node:fs';
import { specTypeSchemas, type Tool } from '@modelcontextprotocol/server';
import { compareSurfaces, describeDifference, differenceCount, lockTools, LockFormatError, parseLock, surfaceDigest, type SurfaceDifference } from '@mcp-gateway/tool-lock';
import { ConfigError } from './config.ts';

export interface ToolLockCheck {
  difference: SurfaceDifference;
  /** How many tools differ: added, removed or changed. */
  mismatches: number;
  lockDigest: string;
  /** The digest of the tools this process offers, comparable with the lock's. */
  digest: string;
  tools: number;
}

/**
 * Each tool as the official client reads it: parsed with the SDK's own `Tool` schema, which drops what the
 * protocol does not define (an unknown annotation key), so the digests equal those `npm run tools:lock` took.
 */
function asClientsSeeIt(tool: Tool): Tool {
  const parsed = specTypeSchemas.Tool['~standard'].validate(tool);
  return 'value' in parsed ? (parsed.value as Tool) : tool;
}

/** Reads the lock at `file` and compares `tools` with it; throws ConfigError naming the variable when the file is not a lock. */
export function checkToolLock(file: string, tools: readonly Tool[]): ToolLockCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`MCP_TOOL_LOCK_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let lock;
  try {
    lock = parseLock(text);
  } catch (error) {
    if (error instanceof LockFormatError) throw new ConfigError(`MCP_TOOL_LOCK_FILE: ${file} is not a tool lock: ${error.message}`);
    throw error;
  }
  const own = lockTools(tools.map(asClientsSeeIt));
  const difference = compareSurfaces(lock.tools, own);
  return { difference, mismatches: differenceCount(difference), lockDigest: lock.digest, digest: surfaceDigest(own), tools: own.length };
}

/** The fields of the start-up log line. */
export function toolLockLogFields(check: ToolLockCheck): Record<string, string | number> {
  if (check.mismatches === 0) return { tools: check.tools, digest: check.digest };
  return { mismatches: check.mismatches, differences: describeDifference(check.difference, 'this server').join('; '), digest: check.digest, lock_digest: check.lockDigest };
}
