/** A `kustomization.yaml` per folder: only `resources`, sorted (files and sub-folders). */
import { sourceOf, type PlacedObject } from './placed.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** The Kustomization document of one folder. */
export interface Kustomization {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  resources: string[];
}

function parentOf(dir: string): string | undefined {
  if (dir === '') return undefined;
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? '' : dir.slice(0, slash);
}

const baseName = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);

/** Folder (relative to `base/`, '' = base) → its Kustomization listing its files and child folders. */
export function renderKustomizations(placed: PlacedObject[]): Map<string, Kustomization> {
  const entries = new Map<string, Set<string>>();
  const add = (dir: string, entry: string) => {
    const set = entries.get(dir) ?? new Set<string>();
    set.add(entry);
    entries.set(dir, set);
  };
  for (const { dir, file } of placed) {
    add(dir, file);
    // Every ancestor lists its child folder, up to base/.
    for (let child = dir, parent = parentOf(dir); parent !== undefined; child = parent, parent = parentOf(parent)) {
      add(parent, baseName(child));
    }
  }
  const result = new Map<string, Kustomization>();
  for (const dir of [...entries.keys()].sort()) {
    const resources = [...entries.get(dir)!].sort();
    result.set(dir, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
  }
  return result;
}
