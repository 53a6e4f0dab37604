/** How a tool surface differs from its lock: tools added, removed, and the fields that changed in the others. */
import { canonicalJson } from './canonical.ts';
import { LOCKED_FIELDS, toolDefinition, type ListedTool, type LockedField } from './lock.ts';

export interface ToolChange {
  tool: string;
  /** The lock fields whose values differ, in `LOCKED_FIELDS` order. */
  fields: LockedField[];
}

export interface SurfaceDifference {
  /** Offered but not in the lock. */
  added: string[];
  /** In the lock but not offered. */
  removed: string[];
  changed: ToolChange[];
}

/** Compares what a server offers (`actual`) with what its lock says (`locked`); names sorted. */
export function compareSurfaces(locked: readonly ListedTool[], actual: readonly ListedTool[]): SurfaceDifference {
  const before = new Map(locked.map((tool) => [tool.name, toolDefinition(tool)]));
  const after = new Map(actual.map((tool) => [tool.name, toolDefinition(tool)]));
  const added = [...after.keys()].filter((name) => !before.has(name)).sort();
  const removed = [...before.keys()].filter((name) => !after.has(name)).sort();
  const changed: ToolChange[] = [];
  for (const name of [...after.keys()].filter((n) => before.has(n)).sort()) {
    const was = before.get(name)!;
    const is = after.get(name)!;
    const fields = LOCKED_FIELDS.filter((field) => canonicalJson(was[field] ?? null) !== canonicalJson(is[field] ?? null));
    if (fields.length > 0) changed.push({ tool: name, fields });
  }
  return { added, removed, changed };
}

/** How many tools differ (added, removed or changed). */
export function differenceCount(difference: SurfaceDifference): number {
  return difference.added.length + difference.removed.length + difference.changed.length;
}

/** One line per differing tool, naming it and, when changed, its fields: for command output and logs. */
export function describeDifference(difference: SurfaceDifference, actual = 'the server'): string[] {
  return [
    ...difference.added.map((tool) => `tool "${tool}": offered by ${actual} but not in the lock`),
    ...difference.removed.map((tool) => `tool "${tool}": in the lock but not offered by ${actual}`),
    ...difference.changed.map(({ tool, fields }) => `tool "${tool}": ${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'} from the lock`),
  ];
}
