/**
 * Finds the environments of a tree (the folders `overlays/<env>/` with a kustomization, except
 * `overlays/components/`) and renders them with Kustomize.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { kustomizeBuild } from '../../generators/src/index.ts';
import type { KubeObject } from './diff-objects.ts';

/** Kustomize building blocks, not environments (the ApplicationSet excludes them too). */
export const COMPONENTS_DIR = 'components';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Sorted names of the environments under `<root>/overlays`; none when the folder is missing. */
export async function listEnvironments(root: string): Promise<string[]> {
  const overlays = join(root, 'overlays');
  const entries = await readdir(overlays, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === COMPONENTS_DIR) continue;
    const files = await Promise.all(KUSTOMIZATION_FILES.map((f) => exists(join(overlays, entry.name, f))));
    if (files.some(Boolean)) names.push(entry.name);
  }
  return names.sort();
}

/** The objects of one environment, or none when the tree does not have it. */
export async function renderEnvironment(root: string, environment: string, present: string[]): Promise<KubeObject[]> {
  if (!present.includes(environment)) return [];
  return (await kustomizeBuild(join(root, 'overlays', environment))) as KubeObject[];
}
