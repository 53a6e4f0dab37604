/**
 * A `kustomization.yaml` per folder of a unit, listing only `resources` (files and sub-folders), sorted. A unit's
 * root is the top: there is no kustomization above it, so nothing can build two units (or the fleet) at once.
 */
import { sourceOf, unitOf, type PlacedObject } from './placed.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** The Kustomization document of one folder. */
export interface Kustomization {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  resources: string[];
}

const baseName = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);
const parentOf = (dir: string): string => dir.slice(0, Math.max(0, dir.lastIndexOf('/')));

/** Folder (relative to `base/`) → its Kustomization, for every folder of every unit in `units`. */
export function renderKustomizations(placed: PlacedObject[], units: readonly string[]): Map<string, Kustomization> {
  const entries = new Map<string, Set<string>>();
  const add = (dir: string, entry: string) => {
    const set = entries.get(dir) ?? new Set<string>();
    set.add(entry);
    entries.set(dir, set);
  };
  for (const { dir, file, object } of placed) {
    const unit = unitOf(dir, units);
    if (unit === undefined) throw new Error(`${object.kind} ${object.metadata.name} is placed in ${dir || 'base/'}, which is in no unit`);
    add(dir, file);
    // Every folder between the object and its unit's root lists its child folder.
    for (let child = dir; child !== unit; child = parentOf(child)) add(parentOf(child), baseName(child));
  }
  const result = new Map<string, Kustomization>();
  for (const dir of [...entries.keys()].sort()) {
    const resources = [...entries.get(dir)!].sort();
    result.set(dir, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
  }
  return result;
}
