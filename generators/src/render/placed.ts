/** An object together with the file it is written to under `base/`. */
import type { KubeObject } from './meta.ts';

/** `dir` is relative to `base/` ('' for base itself), `file` a name like `deployment.yaml`. */
export interface PlacedObject {
  dir: string;
  file: string;
  object: KubeObject;
}

/** Places objects of one folder: `[file, object]` pairs, skipping absent ones. */
export function place(dir: string, entries: [string, KubeObject | undefined][]): PlacedObject[] {
  return entries.filter((e): e is [string, KubeObject] => e[1] !== undefined).map(([file, object]) => ({ dir, file, object }));
}
