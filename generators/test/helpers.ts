/** Shared test helpers: repository paths and the fixture registry. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRegistry } from '../src/registry/parse.ts';
import type { Registry } from '../src/registry/types.ts';

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
