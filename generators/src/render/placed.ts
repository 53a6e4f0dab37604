/**
 * Where each object goes under `base/`: its file, and the unit it belongs to. A unit is what one Argo CD
 * Application renders: `shared/` (namespace, gateway, JWT policy, UI) or `servers/<name>/` (one MCP server).
 * Every object lives in exactly one unit, so no render ever holds the whole fleet (docs/fleet-layout.md).
 */
import type { KubeObject } from './meta.ts';

/** `dir` is relative to `base/` (e.g. `shared/auth`, `servers/mcp-example`), `file` a name like `deployment.yaml`. */
export interface PlacedObject {
  dir: string;
  file: string;
  object: KubeObject;
}

/** The unit of the shared objects, relative to `base/`. */
export const SHARED_UNIT = 'shared';

/** The unit of one server, relative to `base/`. */
export const serverUnit = (name: string): string => `servers/${name}`;

/** Places objects of one folder: `[file, object]` pairs, skipping absent ones. */
export function place(dir: string, entries: [string, KubeObject | undefined][]): PlacedObject[] {
  return entries.filter((e): e is [string, KubeObject] => e[1] !== undefined).map(([file, object]) => ({ dir, file, object }));
}

/** The same objects one folder deeper: `within('shared', ui)` moves `ui/…` to `shared/ui/…`. */
export function within(parent: string, placed: PlacedObject[]): PlacedObject[] {
  return placed.map((p) => ({ ...p, dir: p.dir ? `${parent}/${p.dir}` : parent }));
}

/** The unit (`shared` or `servers/<name>`) a folder belongs to, or undefined when it is in none. */
export function unitOf(dir: string, units: readonly string[]): string | undefined {
  return units.find((unit) => dir === unit || dir.startsWith(`${unit}/`));
}
