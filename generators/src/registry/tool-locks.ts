/**
 * The tool locks beside the registry (`tool-locks/<server>.json`): read, checked against their JSON Schema and
 * their own digests, matched one to one with the servers, and against the tools the access grants name. A server
 * without a lock is refused: the gateway would have no tool to serve, and no default is assumed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { digestProblems, LOCK_DIR, lockPath, type ToolLock } from '@mcp-gateway/tool-lock';
import type { IndexedServer } from './checks.ts';
import { findJsonError, lineColumn, locate, type LocatedProblem } from './json-position.ts';
import { checkSchema } from './schema.ts';
import type { Problem } from './types.ts';

/** Lock file texts by server name (the file name without `.json`). */
export type ToolLockFiles = ReadonlyMap<string, string>;

/** Absolute path of the lock files' JSON Schema. */
export const TOOL_LOCK_SCHEMA_PATH = new URL('../../schema/tool-lock.schema.json', import.meta.url).pathname;

/** A ConfigMap holds at most 1 MiB; the lock is rendered into one (`<name>-tool-lock`) with room for its metadata. */
export const MAX_LOCK_BYTES = 1_000_000;

let compiled: ValidateFunction | undefined;
function lockValidator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(TOOL_LOCK_SCHEMA_PATH, 'utf8')));
  return compiled;
}

/** The lock files in `<registryDir>/tool-locks/` (none when the folder is absent). */
export function readToolLockFiles(registryDir: string): Map<string, string> {
  const dir = join(registryDir, LOCK_DIR);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [file.slice(0, -'.json'.length), readFileSync(join(dir, file), 'utf8')]),
  );
}

/** How to write or refresh the lock of `server`, for the messages. */
export function lockCommand(server: string, lock?: ToolLock): string {
  const source = lock?.source;
  if (source?.kind === 'url') return `npm run tools:lock -- ${server} --url ${source.url}`;
  if (source?.kind === 'hand') return `npm run tools:lock -- ${server} --by-hand`;
  return `npm run tools:lock -- ${server}`;
}

/** One lock file: JSON, its schema, its name, its digests, its size. Located problems, with the file named. */
function checkLockText(server: string, text: string): { lock?: ToolLock; problems: Problem[] } {
  const file = lockPath(server);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    const { line, column } = lineColumn(text, found?.offset ?? 0);
    return { problems: [{ file, where: '(syntax)', message: `malformed JSON: ${found?.reason ?? (error as Error).message}`, line, column }] };
  }
  const schemaProblems = checkSchema(lockValidator(), data);
  if (schemaProblems.length > 0) return { problems: locate(text, schemaProblems, file) };
  // The schema checked every field parseLock relies on: no second parse.
  const { $schema: _schema, '//': _comment, ...fields } = data as Record<string, unknown>;
  const lock = fields as unknown as ToolLock;
  const problems: LocatedProblem[] = [];
  if (lock.server !== server) problems.push({ segments: ['server'], where: '', message: `is "${lock.server}", but the file is ${file}: a lock is named after its server` });
  for (const problem of digestProblems(lock)) problems.push({ segments: problem.path, where: '', message: `${problem.message}; run \`${lockCommand(server, lock)}\`` });
  // The rendered text (formatLock) is this file's, or nearly: its size is the file's.
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_LOCK_BYTES) problems.push({ segments: ['tools'], where: '', message: `the lock is ${bytes} bytes, more than the ${MAX_LOCK_BYTES} its ConfigMap can hold` });
  return problems.length > 0 ? { problems: locate(text, problems, file) } : { lock, problems: [] };
}

/** Grants may only name tools the lock has: a name it does not have is a typo or a tool that is gone. */
function checkGrantTools({ index, server }: IndexedServer, lock: ToolLock): LocatedProblem[] {
  const locked = new Set(lock.tools.map((tool) => tool.name));
  return server.access.flatMap((grant, g) =>
    (grant.tools ?? []).flatMap((tool, t) =>
      locked.has(tool) ? [] : [{ segments: ['servers', index, 'access', g, 'tools', t], where: '', message: `"${tool}" is not a tool of ${server.name}: ${lockPath(server.name)} has ${lock.tools.length === 0 ? 'none' : lock.tools.map((x) => x.name).join(', ')}` }],
    ),
  );
}

export interface ToolLockCheck {
  /** The lock of every server that has a valid one. */
  locks: Map<string, ToolLock>;
  /** Problems in servers.json (located by the caller in its text). */
  registryProblems: LocatedProblem[];
  /** Problems in the lock files, located in them. */
  lockProblems: Problem[];
}

/**
 * Every server needs its lock and every lock its server. `servers`: the servers whose grants can be checked;
 * `named`: every server with a valid name (each needs a lock); `names`: every name servers.json writes, valid or
 * not (a lock of one of them is not stale).
 */
export function checkToolLocks(servers: IndexedServer[], named: IndexedServer[], files: ToolLockFiles, names: ReadonlySet<string> = new Set(named.map(({ server }) => server.name))): ToolLockCheck {
  const locks = new Map<string, ToolLock>();
  const registryProblems: LocatedProblem[] = [];
  const lockProblems: Problem[] = [];
  for (const [server, text] of files) {
    if (!names.has(server)) {
      lockProblems.push({ file: lockPath(server), where: '(file)', message: `no server named "${server}" in servers.json: delete the lock, or rename it after its server` });
      continue;
    }
    const checked = checkLockText(server, text);
    lockProblems.push(...checked.problems);
    if (checked.lock) locks.set(server, checked.lock);
  }
  for (const { index, server } of named) {
    if (files.has(server.name)) continue;
    registryProblems.push({
      segments: ['servers', index],
      where: '',
      message: `server "${server.name}" has no tool lock (${lockPath(server.name)}), and none is assumed: the gateway serves only the tools a lock names. Write it with \`npm run tools:lock -- ${server.name}\` when its source is in apps/, \`npm run tools:lock -- ${server.name} --url <a running instance>\` otherwise, or by hand and \`npm run tools:lock -- ${server.name} --by-hand\` (generators/README.md, "Tool locks")`,
    });
  }
  for (const indexed of servers) {
    const lock = locks.get(indexed.server.name);
    if (lock && Array.isArray(indexed.server.access)) registryProblems.push(...checkGrantTools(indexed, lock));
  }
  return { locks, registryProblems, lockProblems };
}
