/** Shared by the scripts tests: the repository root, builds, and reading hand-written YAML. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomizeBuild, validateObjects, crossCheckObjects } from '../../generators/src/index.ts';
import { renderEnvironment, type RenderedApplication } from '../applications/environments.ts';
import type { KubeObject } from '../plan/diff-objects.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** `kubectl kustomize <repo>/<dir>` as plain objects. */
export async function build(dir: string): Promise<KubeObject[]> {
  return (await kustomizeBuild(join(REPO_ROOT, dir))) as KubeObject[];
}

/** Every Application of an environment of this repository with its render, as Argo CD would make them. */
export function renderRepoEnvironment(environment: string): Promise<RenderedApplication[]> {
  return renderEnvironment(REPO_ROOT, environment);
}

/** Schema problems of `objects`, one line each (empty when valid). */
export function schemaProblems(objects: KubeObject[]): string[] {
  return validateObjects(objects as Parameters<typeof validateObjects>[0]).map((p) => `${p.where}: ${p.message}`);
}

/** Cross-object problems of `objects` (routes to Services, policy targets ...), one line each. */
export function crossProblems(objects: KubeObject[]): string[] {
  return crossCheckObjects(objects as Parameters<typeof crossCheckObjects>[0]).map((p) => `${p.where}: ${p.message}`);
}

/** The documents of a YAML file in the repository, parsed without Kustomize (types as written). */
export function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(join(REPO_ROOT, path), 'utf8')).map((doc) => doc.toJS());
}

/** The first object of `kind` named `name`, or a failure naming what is missing. */
export function find<T extends KubeObject>(objects: T[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.length} objects`);
  return found;
}

/** Reads a nested field: `get(obj, 'spec', 'replicas')`. */
export function get(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

/** Env value of a container of a workload. */
export function containerEnv(workload: KubeObject, container: string, name: string): string | undefined {
  const containers = get(workload, 'spec', 'template', 'spec', 'containers') as Array<{ name: string; env?: Array<{ name: string; value?: string }> }>;
  return containers.find((c) => c.name === container)?.env?.find((e) => e.name === name)?.value;
}
