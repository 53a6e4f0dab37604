/**
 * Where each object goes under `base/`: its file, the unit it belongs to, and the render module that made it. A unit
 * is what one Argo CD Application renders: `shared/` (namespace, gateway, JWT policy, UI) or `servers/<name>/` (one
 * MCP server). Every object lives in exactly one unit, so no render ever holds the whole fleet (docs/fleet-layout.md).
 */
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from './meta.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** `dir` is relative to `base/` (e.g. `shared/auth`, `servers/mcp-example`), `file` a name like `deployment.yaml`. */
export interface PlacedObject {
  dir: string;
  file: string;
  object: KubeObject;
  /** The module that rendered the object, relative to the repository root (named in the file's header). */
  source: string;
}

/** The repository path of a module, from its `import.meta.url`: what a generated file's header names. */
export function sourceOf(moduleUrl: string): string {
  return relative(REPO_ROOT, fileURLToPath(moduleUrl)).split('\\').join('/');
}

/** The unit of the shared objects, relative to `base/`. */
export const SHARED_UNIT = 'shared';

/** The unit of one server, relative to `base/`. */
export const serverUnit = (name: string): string => `servers/${name}`;

/**
 * Places objects of one folder: `[file, object]` pairs rendered by the module `source`, or `[file, object, module]`
 * for one rendered elsewhere; absent objects are skipped.
 */
export function place(dir: string, source: string, entries: [string, KubeObject | undefined, string?][]): PlacedObject[] {
  return entries
    .filter((e): e is [string, KubeObject, string?] => e[1] !== undefined)
    .map(([file, object, by]) => ({ dir, file, object, source: by ?? source }));
}

/** The same objects one folder deeper: `within('shared', ui)` moves `ui/…` to `shared/ui/…`. */
export function within(parent: string, placed: PlacedObject[]): PlacedObject[] {
  return placed.map((p) => ({ ...p, dir: p.dir ? `${parent}/${p.dir}` : parent }));
}

/** The unit (`shared` or `servers/<name>`) a folder belongs to, or undefined when it is in none. */
export function unitOf(dir: string, units: readonly string[]): string | undefined {
  return units.find((unit) => dir === unit || dir.startsWith(`${unit}/`));
}
