/**
 * Writing and checking tool locks (`tool-locks/<server>.json` beside servers.json): from the server built from
 * apps/ (started as its image runs it), from a running instance at a URL, or by hand; and comparing a server with
 * its lock, naming each tool and field that differs and how to update the lock. Wiring is in cli.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildLock,
  compareSurfaces,
  differenceCount,
  formatLock,
  lockPath,
  lockTools,
  parseLock,
  shortTextDiff,
  type SurfaceDifference,
  type ToolDefinition,
  type ToolLock,
} from '@mcp-gateway/tool-lock';
import { formatProblem, lockCommand, parseRegistryEntries, readToolLockFiles, type RegistryEntries, type ServerEntry } from '../../generators/src/index.ts';
import { listToolsInBothEras, shownUrl, type EraPolicy, type Reach } from './list-tools.ts';
import { appOfServer, startServerImage } from './server-image.ts';

/** The registry's entries and the lock files beside it. */
export interface LockContext {
  root: string;
  registry: RegistryEntries;
  lockFiles: Map<string, string>;
}

/** Reads servers.json under `root` (every check but the locks') and the lock files; throws with every problem. */
export function loadLockContext(root: string): LockContext {
  const file = join(root, 'servers.json');
  const { entries, problems } = parseRegistryEntries(readFileSync(file, 'utf8'));
  if (!entries) throw new Error(`servers.json has ${problems.length} problem(s):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  return { root, registry: entries, lockFiles: readToolLockFiles(root) };
}

export function serverOf(context: LockContext, name: string): ServerEntry {
  const server = context.registry.servers.find((s) => s.name === name);
  if (!server) throw new Error(`no server named "${name}" in servers.json (${context.registry.servers.map((s) => s.name).join(', ')})`);
  return server;
}

/** What one command did for one server: lines to print, and whether it failed. */
export interface Outcome {
  server: string;
  ok: boolean;
  lines: string[];
  /** A lock file was written. */
  written?: boolean;
}

/** The committed lock of `server`, read leniently (a lock the generator would refuse is still compared). */
function committedLock(context: LockContext, server: string): ToolLock | undefined {
  const text = context.lockFiles.get(server);
  if (text === undefined) return undefined;
  try {
    return parseLock(text);
  } catch {
    return undefined;
  }
}

const fieldNote = (field: string, before: unknown, after: unknown): string | undefined =>
  (field === 'description' || field === 'title') && typeof before === 'string' && typeof after === 'string' ? `      ${field}: ${shortTextDiff(before, after)}` : undefined;

/**
 * One line per tool that differs, with a short diff of a changed description or title: what `actualName` offers
 * against the lock, or (`actualName` undefined) what a new lock changes in the old one.
 */
export function differenceLines(difference: SurfaceDifference, locked: readonly ToolDefinition[], actual: readonly ToolDefinition[], actualName?: string): string[] {
  const before = new Map(locked.map((t) => [t.name, t]));
  const after = new Map(actual.map((t) => [t.name, t]));
  return [
    ...difference.added.map((tool) => (actualName ? `  + tool "${tool}": offered by ${actualName}, not in the lock` : `  + tool "${tool}": added to the lock`)),
    ...difference.removed.map((tool) => (actualName ? `  - tool "${tool}": in the lock, not offered by ${actualName}` : `  - tool "${tool}": removed from the lock`)),
    ...difference.changed.flatMap(({ tool, fields }) => [
      `  ~ tool "${tool}": ${fields.join(', ')} changed`,
      ...fields.flatMap((field) => fieldNote(field, before.get(tool)?.[field], after.get(tool)?.[field]) ?? []),
    ]),
  ];
}

/** Writes a lock file whole (temporary file, then rename): never half a lock. */
function writeLock(context: LockContext, lock: ToolLock): 'written' | 'unchanged' {
  const text = formatLock(lock);
  const file = join(context.root, lockPath(lock.server));
  if (context.lockFiles.get(lock.server) === text) return 'unchanged';
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  context.lockFiles.set(lock.server, text);
  return 'written';
}

/** Writes `lock` when it differs from the committed one, saying what changed. */
function record(context: LockContext, lock: ToolLock, from: string): Outcome {
  const previous = committedLock(context, lock.server);
  const result = writeLock(context, lock);
  return { server: lock.server, ok: true, written: result === 'written', lines: summary(lock, result, from, previous) };
}

function summary(lock: ToolLock, result: 'written' | 'unchanged', from: string, previous?: ToolLock): string[] {
  const lines = [`${lock.server}: ${lockPath(lock.server)} ${result} from ${from}: ${lock.tools.length} tool(s)`];
  if (previous && result === 'written') lines.push(...differenceLines(compareSurfaces(previous.tools, lock.tools), previous.tools, lock.tools));
  return lines;
}

const agreeing = (versions: string[]): string => (versions.length > 1 ? `; ${versions.join(' and ')} agree` : `; ${versions[0]} only`);

/** Locks a server built from apps/: starts its image, lists its tools in both eras, writes the lock. */
export async function lockFromApp(context: LockContext, name: string): Promise<Outcome> {
  const server = serverOf(context, name);
  const app = appOfServer(context.root, server);
  if (!app) throw new Error(`${name}: its image (${server.image}) is not built from apps/; lock it from a running instance with --url, or by hand with --by-hand`);
  const running = await startServerImage(context.root, context.registry, server, app);
  try {
    const listing = await listToolsInBothEras(running.url);
    const lock = buildLock(name, { kind: 'app', path: `apps/${app}`, protocolVersions: listing.protocolVersions }, listing.tools);
    return record(context, lock, `apps/${app}, started as its image runs it${agreeing(listing.protocolVersions)}`);
  } finally {
    await running.stop();
  }
}

/** Locks a server from a running instance (its own endpoint; through the gateway only the locked tools show). */
export async function lockFromUrl(context: LockContext, name: string, url: URL, reach: Reach): Promise<Outcome> {
  serverOf(context, name);
  const listing = await listToolsInBothEras(url, { ...reach, eras: 'answering' });
  const lock = buildLock(name, { kind: 'url', url: shownUrl(url), protocolVersions: listing.protocolVersions }, listing.tools);
  const outcome = record(context, lock, `the running instance at ${shownUrl(url)}${agreeing(listing.protocolVersions)}`);
  for (const why of listing.skipped) outcome.lines.splice(1, 0, `  note: not asked in ${why}`);
  return outcome;
}

/** Recomputes the digests of a lock written by hand (its tools as they are in the file). */
export function lockByHand(context: LockContext, name: string): Outcome {
  serverOf(context, name);
  const text = context.lockFiles.get(name);
  if (text === undefined) throw new Error(`${name}: write ${lockPath(name)} first: {"server": "${name}", "source": {"kind": "hand"}, "digest": "", "tools": [{"name": "...", "digest": "", "description": "...", "inputSchema": {...}}]}`);
  let data: { tools?: unknown };
  try {
    data = JSON.parse(text) as { tools?: unknown };
  } catch (error) {
    throw new Error(`${lockPath(name)} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data.tools) || data.tools.some((t) => typeof (t as { name?: unknown })?.name !== 'string')) throw new Error(`${lockPath(name)}: "tools" must be a list of tools, each with a "name"`);
  const lock = buildLock(name, { kind: 'hand' }, data.tools as Array<{ name: string } & Record<string, unknown>>);
  return record(context, lock, 'the tools written in it by hand');
}

function updateHint(name: string, lock: ToolLock | undefined): string {
  return `  update the lock if the change is intended: ${lockCommand(name, lock)}, then npm run generate; commit ${lockPath(name)} with base/ (the plan of the pull request lists the tool changes)`;
}

/** Compares tools listed somewhere (`actualName`) with the lock of `name`. */
function compareWithLock(context: LockContext, name: string, tools: Array<{ name: string } & Record<string, unknown>>, actualName: string, heading: string): Outcome {
  const lock = committedLock(context, name);
  if (!lock) return { server: name, ok: false, lines: [`${name}: no readable lock at ${lockPath(name)}`, updateHint(name, undefined)] };
  const actual = lockTools(tools);
  const difference = compareSurfaces(lock.tools, actual);
  if (differenceCount(difference) === 0) return { server: name, ok: true, lines: [`${name}: ${heading} matches ${lockPath(name)} (${actual.length} tool(s))`] };
  return {
    server: name,
    ok: false,
    lines: [`${name}: ${heading} differs from ${lockPath(name)}:`, ...differenceLines(difference, lock.tools, actual, actualName), updateHint(name, lock)],
  };
}

/**
 * CI's check of a server built from apps/: its image started with its committed lock mounted as the pod has it,
 * listed by the client in both eras, compared with the lock; the server's own start-up check must agree.
 */
export async function checkApp(context: LockContext, name: string): Promise<Outcome> {
  const server = serverOf(context, name);
  const app = appOfServer(context.root, server);
  if (!app) throw new Error(`${name}: its image (${server.image}) is not built from apps/`);
  const lockFile = join(context.root, lockPath(name));
  const running = await startServerImage(context.root, context.registry, server, app, existsSync(lockFile) ? lockFile : undefined);
  try {
    const listing = await listToolsInBothEras(running.url);
    const outcome = compareWithLock(context, name, listing.tools, 'the server', `the server built from apps/${app} (${listing.protocolVersions.join(', ')})`);
    const own = running.started.logLines().find((line) => typeof line.msg === 'string' && line.msg.startsWith('tool surface '));
    const ownMatches = own?.msg === 'tool surface matches its lock';
    if (existsSync(lockFile) && !own) {
      outcome.ok = false;
      outcome.lines.push(`  the server logged no start-up check of its tool lock (MCP_TOOL_LOCK_FILE); its output:\n${running.started.output()}`);
    } else if (own && ownMatches !== outcome.ok) {
      outcome.ok = false;
      outcome.lines.push(`  the server's own start-up check disagrees: "${String(own.msg)}" (${JSON.stringify(own)}); the runtime reads its tools differently from the client (packages/mcp-runtime/src/tool-lock-check.ts)`);
    }
    return outcome;
  } finally {
    await running.stop();
  }
}

/** Drift at run time: a running instance at `url` against the lock of `name`. */
export async function checkUrl(context: LockContext, name: string, url: URL, reach: Reach, eras: EraPolicy = 'answering'): Promise<Outcome> {
  serverOf(context, name);
  const listing = await listToolsInBothEras(url, { ...reach, eras });
  return compareWithLock(context, name, listing.tools, 'the running server', `the running server at ${shownUrl(url)} (${listing.protocolVersions.join(', ')})`);
}

/** For a server not built from apps/ and no URL: what can be said without reaching it. */
export function notFromApps(context: LockContext, name: string): Outcome {
  const lock = committedLock(context, name);
  if (!lock) return { server: name, ok: false, lines: [`${name}: not built from apps/ and no lock at ${lockPath(name)}: ${lockCommand(name)} --url <a running instance>, or write it by hand and run ${lockCommand(name)} --by-hand`] };
  const from = lock.source.kind === 'url' ? `from ${lock.source.url}` : lock.source.kind === 'hand' ? 'by hand' : `from ${lock.source.path}`;
  return { server: name, ok: true, lines: [`${name}: not built from apps/; its lock was written ${from}; compare a running instance with npm run tools:check -- ${name} --url <its /mcp endpoint>`] };
}

/** The servers of the registry whose source is in apps/, and the others. */
export function splitByApps(context: LockContext, names?: string[]): { fromApps: string[]; others: string[] } {
  const servers = names && names.length > 0 ? names.map((n) => serverOf(context, n)) : context.registry.servers;
  return {
    fromApps: servers.filter((s) => appOfServer(context.root, s)).map((s) => s.name),
    others: servers.filter((s) => !appOfServer(context.root, s)).map((s) => s.name),
  };
}
