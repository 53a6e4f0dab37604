/**
 * A tool lock: the tools one MCP server may offer, as a client reads them from `tools/list`, each with the digest
 * of its definition, and the digest of the whole surface. Locks are committed (`tool-locks/<server>.json`), the
 * generator pins the gateway to their tool names, and the server compares itself with its lock at start.
 */
import { canonicalJson, sha256, sortKeys, type JsonObject } from './canonical.ts';

/** What a lock holds of a tool besides its name: the fields a client shows a model or acts on. */
export const LOCKED_FIELDS = ['title', 'description', 'annotations', 'inputSchema', 'outputSchema'] as const;
export type LockedField = (typeof LOCKED_FIELDS)[number];

/** A tool's definition as far as the lock is concerned (other fields of `tools/list`, such as icons and `_meta`, are not locked). */
export type ToolDefinition = {
  name: string;
  title?: string;
  description?: string;
  annotations?: JsonObject;
  inputSchema?: JsonObject;
  outputSchema?: JsonObject;
};

/** A tool in a lock: its definition and `digest`, the SHA-256 of the definition's canonical JSON. */
export type LockedTool = ToolDefinition & { digest: string };

/**
 * Where a lock was read from: the server built from `apps/` (started as its image runs it), a running instance
 * at a URL, or written by hand. `protocolVersions`: the protocol revisions it was asked in, which agreed.
 */
export type LockSource =
  | { kind: 'app'; path: string; protocolVersions: string[] }
  | { kind: 'url'; url: string; protocolVersions: string[] }
  | { kind: 'hand' };

export interface ToolLock {
  server: string;
  source: LockSource;
  /** SHA-256 of the canonical JSON of `{ <tool name>: <tool digest> }`: one value for the whole surface. */
  digest: string;
  /** Sorted by name. */
  tools: LockedTool[];
}

/** A tool as `tools/list` lists it, or as a lock holds it: a name and any other fields. */
export type ListedTool = { readonly name: string } & Readonly<Record<string, unknown>>;

/** The lock fields of a tool as listed (anything else it carries is left out). */
export function toolDefinition(tool: ListedTool): ToolDefinition {
  const fields = tool as Readonly<Record<string, unknown>>;
  const definition: Record<string, unknown> = { name: tool.name };
  for (const field of LOCKED_FIELDS) if (fields[field] !== undefined) definition[field] = sortKeys(fields[field]);
  return definition as unknown as ToolDefinition;
}

/** The digest of one tool's definition (its lock fields; canonicalJson sorts the keys). */
export function toolDigest(tool: ListedTool): string {
  const fields: Record<string, unknown> = { name: tool.name };
  for (const field of LOCKED_FIELDS) fields[field] = tool[field];
  return sha256(canonicalJson(fields));
}

/** The digest of a surface: of the map from each tool's name to its digest. */
export function surfaceDigest(tools: ReadonlyArray<{ name: string; digest: string }>): string {
  return sha256(canonicalJson(Object.fromEntries(tools.map((tool) => [tool.name, tool.digest]))));
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The tools of a surface, as a lock holds them: definitions with their digests, sorted by name. */
export function lockTools(tools: readonly ListedTool[]): LockedTool[] {
  return tools.map((tool) => {
    const definition = toolDefinition(tool);
    const { name, ...fields } = definition;
    return { name, digest: toolDigest(definition), ...fields };
  }).sort(byName);
}

/** A lock of `tools` for `server`. */
export function buildLock(server: string, source: LockSource, tools: readonly ListedTool[]): ToolLock {
  const locked = lockTools(tools);
  return { server, source, digest: surfaceDigest(locked), tools: locked };
}

/** The path of a server's lock from the folder of servers.json. */
export const LOCK_DIR = 'tool-locks';
export const lockPath = (server: string): string => `${LOCK_DIR}/${server}.json`;

/** The JSON Schema of lock files, from the folder of servers.json (editors use it through `$schema`). */
export const LOCK_SCHEMA_PATH = 'generators/schema/tool-lock.schema.json';

/** The text of a lock file: fixed key order, two-space JSON, one trailing newline. */
export function formatLock(lock: ToolLock): string {
  const file = {
    $schema: `../${LOCK_SCHEMA_PATH}`,
    '//': `The tools ${lock.server} may offer: the gateway serves only these. Written by npm run tools:lock; every change is reviewed in its pull request (generators/README.md, "Tool locks").`,
    server: lock.server,
    source: lock.source,
    digest: lock.digest,
    tools: lock.tools.map(({ name, digest, ...definition }) => ({ name, digest, ...Object.fromEntries(LOCKED_FIELDS.flatMap((f) => (definition[f] === undefined ? [] : [[f, definition[f]]]))) })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A problem of a lock's content, at a JSON path of the file (`['tools', 2, 'digest']`). */
export interface LockProblem {
  path: (string | number)[];
  message: string;
}

/** Where a lock's own digests disagree with its definitions (a lock edited without `npm run tools:lock`), and names listed twice. */
export function digestProblems(lock: ToolLock): LockProblem[] {
  const problems: LockProblem[] = [];
  const seen = new Set<string>();
  lock.tools.forEach((tool, index) => {
    if (seen.has(tool.name)) problems.push({ path: ['tools', index, 'name'], message: `tool "${tool.name}" is listed twice` });
    seen.add(tool.name);
    const expected = toolDigest(tool);
    if (tool.digest !== expected) problems.push({ path: ['tools', index, 'digest'], message: `tool "${tool.name}": the digest does not match its definition (${expected}): the lock was edited by hand` });
  });
  const expected = surfaceDigest(lock.tools);
  if (lock.digest !== expected && problems.length === 0) problems.push({ path: ['digest'], message: `the digest does not match the tools' digests (${expected}): the lock was edited by hand` });
  return problems;
}

/** Thrown by `parseLock` for a text that is not a lock; the message says what is missing. */
export class LockFormatError extends Error {
  override name = 'LockFormatError';
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads a lock's text, checking only the shape a reader relies on (`server`, `digest`, `tools[].name` and
 * `.digest`). The generator validates lock files fully against their JSON Schema; this is for the server's
 * start-up check, which reads what the generator rendered.
 */
export function parseLock(text: string): ToolLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LockFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) throw new LockFormatError('not a JSON object');
  if (typeof data.server !== 'string') throw new LockFormatError('"server" is not a string');
  if (typeof data.digest !== 'string') throw new LockFormatError('"digest" is not a string');
  if (!Array.isArray(data.tools)) throw new LockFormatError('"tools" is not an array');
  data.tools.forEach((tool, index) => {
    if (!isObject(tool) || typeof tool.name !== 'string' || typeof tool.digest !== 'string') throw new LockFormatError(`tools[${index}] has no string "name" and "digest"`);
  });
  const { $schema: _schema, '//': _comment, ...lock } = data;
  return lock as unknown as ToolLock;
}
