/** Parses `servers.json`: JSON syntax (line and column), the JSON Schema (defaults filled), semantic checks. */
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { checkRegistry, checkServers, type IndexedServer, type LocatedProblem } from './checks.ts';
import { applyRegistryDefaults } from './environments.ts';
import { findJsonError, lineColumn } from './json-position.ts';
import { checkAgainstSchema, toJsonPath } from './schema.ts';
import type { Problem, Registry, Server } from './types.ts';

/** The result of parsing: a registry only when there are no problems. */
export interface ParseResult {
  registry?: Registry;
  problems: Problem[];
}

/** Adds line and column to problems by finding their fields in the text (JSON is YAML, so yaml gives ranges). */
function locate(text: string, problems: LocatedProblem[]): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  return problems.map(({ segments, ...problem }) => {
    let node: unknown;
    for (let n = segments.length; n >= 0 && !isNode(node); n--) node = doc.getIn(segments.slice(0, n), true);
    const where = toJsonPath(segments);
    if (!isNode(node) || !node.range) return { ...problem, where };
    const pos = lineCounter.linePos(node.range[0]);
    return { ...problem, where, line: pos.line, column: pos.col };
  }).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
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

/** Parses and validates registry text. Problems are all reported at once; `registry` is set only without problems. */
export function parseRegistry(text: string): ParseResult {
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
  const schemaProblems = checkAgainstSchema(data);
  if (schemaProblems.length > 0) {
    const valid = schemaValidServers(data, schemaProblems);
    applyDerivedDefaults(valid.map((s) => s.server));
    const authBroken = schemaProblems.some((p) => p.segments[0] === 'auth');
    const appRoles = authBroken ? undefined : (data as Registry).auth.appRoles;
    return { problems: locate(text, [...schemaProblems, ...checkServers(valid, serversWithValidName(data, schemaProblems), appRoles)]) };
  }
  const registry = data as Registry;
  applyDerivedDefaults(registry.servers);
  applyRegistryDefaults(registry);
  const semantic = checkRegistry(registry);
  if (semantic.length > 0) return { problems: locate(text, semantic) };
  const servers = [...registry.servers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { registry: { ...registry, servers }, problems: [] };
}

/** Reads and parses a registry file. A read error becomes a problem too. */
export async function loadRegistry(path: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { problems: [{ where: path, message: `cannot read the registry: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseRegistry(text);
}

/** `servers.json:12:5: servers[1].port: must be <= 65535 (found 70000)`. */
export function formatProblem(problem: Problem, file = 'servers.json'): string {
  const position = problem.line !== undefined ? `${file}:${problem.line}:${problem.column ?? 1}: ` : '';
  return `${position}${problem.where}: ${problem.message}`;
}
