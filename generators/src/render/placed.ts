/** An object together with the file it is written to under `base/`, and the render module that made it. */
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from './meta.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** `dir` is relative to `base/` ('' for base itself), `file` a name like `deployment.yaml`. */
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

/**
 * Places objects of one folder: `[file, object]` pairs rendered by the module `source`, or `[file, object, module]`
 * for one rendered elsewhere; absent objects are skipped.
 */
export function place(dir: string, source: string, entries: [string, KubeObject | undefined, string?][]): PlacedObject[] {
  return entries
    .filter((e): e is [string, KubeObject, string?] => e[1] !== undefined)
    .map(([file, object, by]) => ({ dir, file, object, source: by ?? source }));
}
