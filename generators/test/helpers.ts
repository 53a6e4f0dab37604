/** Shared test helpers: repository paths and the fixture registry. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildLock, formatLock, parseLock } from '@mcp-gateway/tool-lock';
import { parseRegistry, type ParseResult } from '../src/registry/parse.ts';
import { readToolLockFiles } from '../src/registry/tool-locks.ts';
import type { Registry } from '../src/registry/types.ts';
import { renderUnits } from '../src/render/index.ts';
import type { KubeObject } from '../src/render/meta.ts';
import { kustomizeBuild } from '../src/validate/kustomize.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = resolve(import.meta.dirname, 'fixtures');

/** The committed tool locks of this repository, and the frozen ones of the fixtures (the three servers, mcp-minimal, mcp-full). */
const REPO_LOCKS = readToolLockFiles(REPO_ROOT);
const FIXTURE_LOCKS = readToolLockFiles(FIXTURES);

/**
 * Lock texts for the servers `text` names: each its committed (or fixture) lock, or the one in `extra` (a server a
 * test adds); a server with neither gets none, as a pull request that forgot it would.
 */
export function locksFor(text: string, extra: Record<string, string> = {}, source: 'repo' | 'fixtures' = 'repo'): Map<string, string> {
  let servers: unknown;
  try {
    servers = (JSON.parse(text) as { servers?: unknown } | null)?.servers;
  } catch {
    return new Map();
  }
  const names = (Array.isArray(servers) ? servers : []).map((s) => (s as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string');
  const known = source === 'repo' ? REPO_LOCKS : FIXTURE_LOCKS;
  return new Map(names.flatMap((name) => {
    const lock = extra[name] ?? known.get(name) ?? (source === 'repo' ? FIXTURE_LOCKS.get(name) : undefined);
    return lock === undefined ? [] : [[name, lock] as const];
  }));
}

/** A lock for a server a test adds: the tools of an existing server's lock (mcp-example's by default), under its name. */
export function lockLike(name: string, like = 'mcp-example'): string {
  const lock = parseLock(REPO_LOCKS.get(like) ?? FIXTURE_LOCKS.get(like)!);
  return formatLock(buildLock(name, { kind: 'hand' }, lock.tools.map(({ digest: _digest, ...tool }) => tool)));
}

/** Locks for every server `text` names (validly): its own where there is one, mcp-example's tools under its name otherwise. */
export function lockEveryServer(text: string): Map<string, string> {
  const locks = locksFor(text);
  const servers = (JSON.parse(text) as { servers?: Array<{ name?: unknown }> }).servers ?? [];
  for (const { name } of servers) if (typeof name === 'string' && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) && !locks.has(name)) locks.set(name, lockLike(name));
  return locks;
}

/** `parseRegistry` with the locks of the servers the text names (`locksFor`). */
export function parseWithLocks(text: string, extraLocks: Record<string, string> = {}): ParseResult {
  return parseRegistry(text, locksFor(text, extraLocks));
}

/** Parses registry text with the locks of its servers and fails the test with every problem when it is invalid. */
export function mustParse(text: string, extraLocks: Record<string, string> = {}): Registry {
  const { registry, problems } = parseRegistry(text, locksFor(text, extraLocks));
  if (!registry) throw new Error(`registry invalid:\n${problems.map((p) => `${p.where}: ${p.message}`).join('\n')}`);
  return registry;
}

/** The repository's own servers.json, parsed. */
export function repoRegistry(): Registry {
  return mustParse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
}

/** The servers.json text of the repository as an object, for making variants. */
export function repoRegistryJson(): Record<string, any> {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
}

function mustParseFixture(file: string): Registry {
  const text = readFileSync(resolve(FIXTURES, file), 'utf8');
  const { registry, problems } = parseRegistry(text, locksFor(text, {}, 'fixtures'));
  if (!registry) throw new Error(`${file} invalid:\n${problems.map((p) => `${p.where}: ${p.message}`).join('\n')}`);
  return registry;
}

/** The golden fixture registry (one minimal and one full server), with the fixtures' locks. */
export function fixtureRegistry(): Registry {
  return mustParseFixture('servers.json');
}

/** The frozen copy of servers.json (three servers as the design names them), with the fixtures' frozen locks. */
export function goodRegistry(): Registry {
  return mustParseFixture('registry-good.json');
}

/** A rendered object by kind and name; throws when absent. */
export function find<T = Record<string, any>>(objects: { kind: string; metadata: { name: string } }[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not rendered`);
  return found as T;
}

/** `kustomize build` of every unit of `registry` under `baseDir` (each unit alone, as Argo CD renders it), concatenated. */
export async function buildUnits(baseDir: string, registry: Registry): Promise<KubeObject[]> {
  const builds = await Promise.all(renderUnits(registry).map((unit) => kustomizeBuild(resolve(baseDir, unit))));
  return builds.flat();
}
