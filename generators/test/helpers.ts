/** Shared test helpers: repository paths and the fixture registry. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRegistry } from '../src/registry/parse.ts';
import type { Registry } from '../src/registry/types.ts';
import { renderUnits } from '../src/render/index.ts';
import type { KubeObject } from '../src/render/meta.ts';
import { kustomizeBuild } from '../src/validate/kustomize.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = resolve(import.meta.dirname, 'fixtures');

/** Parses registry text and fails the test with every problem when it is invalid. */
export function mustParse(text: string): Registry {
  const { registry, problems } = parseRegistry(text);
  if (!registry) throw new Error(`registry invalid:\n${problems.map((p) => `${p.where}: ${p.message}`).join('\n')}`);
  return registry;
}

/** The repository's own servers.json, parsed. */
export function repoRegistry(): Registry {
  return mustParse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
}

/** The servers.json text of the repository as an object, for making variants. */
export function repoRegistryJson(): Record<string, any> {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
}

/** The golden fixture registry (one minimal and one full server). */
export function fixtureRegistry(): Registry {
  return mustParse(readFileSync(resolve(FIXTURES, 'servers.json'), 'utf8'));
}

/** The frozen copy of servers.json (three servers as the design names them). */
export function goodRegistry(): Registry {
  return mustParse(readFileSync(resolve(FIXTURES, 'registry-good.json'), 'utf8'));
}

/** A rendered object by kind and name; throws when absent. */
export function find<T = Record<string, any>>(objects: { kind: string; metadata: { name: string } }[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not rendered`);
  return found as T;
}

/** `kustomize build` of every unit of `registry` under `baseDir` (each unit alone, as Argo CD renders it), concatenated. */
export async function buildUnits(baseDir: string, registry: Registry): Promise<KubeObject[]> {
  const builds = await Promise.all(renderUnits(registry).map((unit) => kustomizeBuild(resolve(baseDir, unit))));
  return builds.flat();
}
