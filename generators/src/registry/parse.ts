/**
 * Parses `servers.json` and the tool locks beside it: JSON syntax (line and column), the JSON Schema (defaults
 * filled), semantic checks, and one valid lock per server (`tool-locks/<name>.json`), attached as `toolLock`.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkRegistry, checkServers, type IndexedServer } from './checks.ts';
import { applyRegistryDefaults } from './environments.ts';
import { findJsonError, lineColumn, locate } from './json-position.ts';
import { checkAgainstSchema } from './schema.ts';
import { checkToolLocks, readToolLockFiles, type ToolLockFiles } from './tool-locks.ts';
import type { ToolLock } from '@mcp-gateway/tool-lock';
import type { Problem, Registry, RegistryEntries, Server } from './types.ts';

/** The result of parsing: a registry only when there are no problems. */
export interface ParseResult {
  registry?: Registry;
  problems: Problem[];
}

function applyDerivedDefaults(servers: Server[]): void {
  for (const server of servers as (Server & { routePath?: string })[]) server.routePath ??= `/mcp/${server.name}`;
}

/** Servers without schema problems of their own, so semantic checks still run beside schema problems. */
function schemaValidServers(data: unknown, problems: { segments: (string | number)[] }[]): IndexedServer[] {
  const servers = (data as { servers?: unknown } | null)?.servers;
  if (!Array.isArray(servers)) return [];
  const broken = new Set(problems.filter((p) => p.segments[0] === 'servers').map((p) => String(p.segments[1])));
  if (broken.has('undefined')) return [];
  return servers.map((server, index) => ({ index, server: server as Server })).filter(({ index }) => !broken.has(String(index)));
}

/** Servers whose `name` is a string without a schema problem of its own, whatever else is wrong with them. */
function serversWithValidName(data: unknown, problems: { segments: (string | number)[] }[]): IndexedServer[] {
  const servers = (data as { servers?: unknown } | null)?.servers;
  if (!Array.isArray(servers)) return [];
  const badName = new Set(problems.filter((p) => p.segments[0] === 'servers' && (p.segments.length === 2 || p.segments[2] === 'name')).map((p) => String(p.segments[1])));
  return servers
    .map((server, index) => ({ index, server: server as Server }))
    .filter(({ index, server }) => typeof server?.name === 'string' && !badName.has(String(index)));
}

/**
 * Parses and validates registry text with its tool locks (`toolLocks`: lock file texts by server name, as
 * `readToolLockFiles` reads them). Problems are all reported at once; `registry` is set only without problems.
 */
export function parseRegistry(text: string, toolLocks: ToolLockFiles): ParseResult {
  const { entries, problems } = parseEntries(text, toolLocks);
  if (!entries) return { problems };
  return { registry: entries as Registry, problems: [] };
}

/**
 * The registry's entries without their tool locks, for `npm run tools:lock`, which writes the locks: every check
 * but the locks' (and the grants' tool names, which need them).
 */
export function parseRegistryEntries(text: string): { entries?: RegistryEntries; problems: Problem[] } {
  return parseEntries(text, undefined);
}

function parseEntries(text: string, toolLocks: ToolLockFiles | undefined): { entries?: RegistryEntries; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    const offset = found?.offset ?? 0;
    const { line, column } = lineColumn(text, offset);
    const reason = found?.reason ?? (error as Error).message;
    return { problems: [{ where: '(syntax)', message: `malformed JSON: ${reason}`, line, column }] };
  }
  const noLocks = { locks: new Map<string, ToolLock>(), registryProblems: [], lockProblems: [] };
  const schemaProblems = checkAgainstSchema(data);
  if (schemaProblems.length > 0) {
    const valid = schemaValidServers(data, schemaProblems);
    applyDerivedDefaults(valid.map((s) => s.server));
    const authBroken = schemaProblems.some((p) => p.segments[0] === 'auth');
    const appRoles = authBroken ? undefined : (data as Registry).auth.appRoles;
    const named = serversWithValidName(data, schemaProblems);
    const written = new Set(((data as { servers?: unknown } | null)?.servers as Array<{ name?: unknown }> | undefined ?? []).flatMap((s) => (typeof s?.name === 'string' ? [s.name] : [])));
    const locks = toolLocks ? checkToolLocks(valid, named, toolLocks, written) : noLocks;
    return { problems: [...locate(text, [...schemaProblems, ...checkServers(valid, named, appRoles), ...locks.registryProblems]), ...locks.lockProblems] };
  }
  const registry = data as RegistryEntries;
  applyDerivedDefaults(registry.servers as Server[]);
  applyRegistryDefaults(registry as Registry);
  const indexed = registry.servers.map((server, index) => ({ index, server: server as Server }));
  const locks = toolLocks ? checkToolLocks(indexed, indexed, toolLocks) : noLocks;
  const semantic = [...checkRegistry(registry as Registry), ...locks.registryProblems];
  if (semantic.length + locks.lockProblems.length > 0) return { problems: [...locate(text, semantic), ...locks.lockProblems] };
  const withLocks = registry.servers.map((server) => (toolLocks ? { ...server, toolLock: locks.locks.get(server.name)! } : server));
  const servers = withLocks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries: { ...registry, servers }, problems: [] };
}

/** Reads and parses a registry file and the tool locks beside it (`tool-locks/`). A read error becomes a problem too. */
export function loadRegistrySync(path: string): ParseResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problems: [{ where: path, message: `cannot read the registry: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseRegistry(text, readToolLockFiles(dirname(path)));
}

/** `loadRegistrySync`, for callers that await it. */
export async function loadRegistry(path: string): Promise<ParseResult> {
  return loadRegistrySync(path);
}

/** `servers.json:12:5: servers[1].port: must be <= 65535 (found 70000)`. */
export function formatProblem(problem: Problem, file = 'servers.json'): string {
  const named = problem.file ?? file;
  const position = problem.line !== undefined ? `${named}:${problem.line}:${problem.column ?? 1}: ` : problem.file !== undefined ? `${problem.file}: ` : '';
  return `${position}${problem.where}: ${problem.message}`;
}
