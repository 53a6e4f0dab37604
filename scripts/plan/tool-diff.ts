/**
 * What each MCP server may offer, before and after, between two renderings of one environment (pure): the tool
 * locks the servers' Applications render (ConfigMap `<name>-tool-lock`), compared tool by tool. Tools added,
 * removed and changed (the fields, with a short diff of a description or title), and a warning for every new or
 * changed tool that is not read-only: the gateway serves exactly these tools once the change is synced.
 */
import { compareSurfaces, parseLock, shortTextDiff, type LockedField, type ToolDefinition, type ToolLock } from '@mcp-gateway/tool-lock';
import type { KubeObject } from './diff-objects.ts';

/** One tool that changes. */
export interface ToolChange {
  sign: '+' | '-' | '~';
  server: string;
  tool: string;
  /** For `~`: the fields that changed. */
  fields?: LockedField[];
  /** Short diffs of a changed description or title. */
  notes?: string[];
  /** Set for a new or changed tool that is not read-only (`readOnlyHint` not true), saying what it may do. */
  warning?: string;
}

const LOCK_KEY = 'tools.json';

/** The tool locks among rendered objects, by server. */
function locksOf(objects: KubeObject[]): Map<string, ToolLock> {
  const locks = new Map<string, ToolLock>();
  for (const object of objects) {
    const text = (object as { data?: Record<string, string> }).data?.[LOCK_KEY];
    if (object.kind !== 'ConfigMap' || !object.metadata.name.endsWith('-tool-lock') || text === undefined) continue;
    try {
      const lock = parseLock(text);
      locks.set(lock.server, lock);
    } catch {
      // Not a lock: the object diff shows it; the generator refuses such a lock before it is rendered.
    }
  }
  return locks;
}

/** The warning for a tool that is not read-only, or undefined when it is. */
export function writeWarning(tool: ToolDefinition): string | undefined {
  const hints = (tool.annotations ?? {}) as Record<string, unknown>;
  if (hints.readOnlyHint === true) return undefined;
  const what = hints.destructiveHint === false ? 'it may change things (readOnlyHint is not true)' : 'it may change or destroy things (readOnlyHint is not true, destructiveHint is not false)';
  return `not read-only: ${what}`;
}

function notes(fields: LockedField[], before: ToolDefinition, after: ToolDefinition): string[] {
  return fields.flatMap((field) => {
    const [was, is] = [before[field], after[field]];
    return (field === 'description' || field === 'title') && typeof was === 'string' && typeof is === 'string' ? [`${field}: ${shortTextDiff(was, is)}`] : [];
  });
}

/** Tool changes between the old and the new rendering of one environment, by server and tool. */
export function diffTools(old: KubeObject[], next: KubeObject[]): ToolChange[] {
  const before = locksOf(old);
  const after = locksOf(next);
  const changes: ToolChange[] = [];
  for (const server of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const was = before.get(server)?.tools ?? [];
    const is = after.get(server)?.tools ?? [];
    const byName = (tools: readonly ToolDefinition[]) => new Map(tools.map((t) => [t.name, t]));
    const [wasByName, isByName] = [byName(was), byName(is)];
    const difference = compareSurfaces(was, is);
    const warned = (change: ToolChange, tool: ToolDefinition): ToolChange => {
      const warning = writeWarning(tool);
      return warning ? { ...change, warning } : change;
    };
    for (const tool of difference.added) changes.push(warned({ sign: '+', server, tool }, isByName.get(tool)!));
    for (const tool of difference.removed) changes.push({ sign: '-', server, tool });
    for (const { tool, fields } of difference.changed) {
      const change: ToolChange = { sign: '~', server, tool, fields };
      const shown = notes(fields, wasByName.get(tool)!, isByName.get(tool)!);
      changes.push(warned(shown.length > 0 ? { ...change, notes: shown } : change, isByName.get(tool)!));
    }
  }
  return changes;
}

/** The lines of one change: the change, its notes, then its warning. */
export function formatToolChange(change: ToolChange): string[] {
  const what = change.sign === '+' ? 'added' : change.sign === '-' ? 'removed' : `changed: ${change.fields!.join(', ')}`;
  return [
    `${change.sign} ${change.server}: ${change.tool} (${what})`,
    ...(change.notes ?? []).map((note) => `    ${note}`),
    ...(change.warning ? [`    warning: ${change.server}: ${change.tool} is ${change.warning}`] : []),
  ];
}
