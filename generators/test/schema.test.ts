/** The registry JSON Schema documents every field, and servers.json points editors at it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_SCHEMA_PATH } from '../src/registry/schema.ts';
import { REPO_ROOT } from './helpers.ts';

type Node = Record<string, any>;
const schema: Node = JSON.parse(readFileSync(REGISTRY_SCHEMA_PATH, 'utf8'));

/** Paths of properties (and $defs) that lack a description. */
function undocumented(node: Node, path: string, out: string[] = []): string[] {
  for (const [name, sub] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    if (typeof sub.description !== 'string' || sub.description.length < 3) out.push(`${path}.${name}`);
    undocumented(sub, `${path}.${name}`, out);
  }
  if (node.items && typeof node.items === 'object') undocumented(node.items, `${path}[]`, out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    if (!node.additionalProperties.description) out.push(`${path}.*`);
    undocumented(node.additionalProperties, `${path}.*`, out);
  }
  return out;
}

describe('servers.schema.json', () => {
  it('has a description on every field', () => {
    const missing = undocumented(schema, '$');
    for (const [name, def] of Object.entries(schema.$defs as Record<string, Node>)) {
      if (!def.description) missing.push(`$defs.${name}`);
      undocumented(def, `$defs.${name}`, missing);
    }
    expect(missing).toEqual([]);
  });

  it('is what servers.json names in "$schema"', () => {
    const registry = JSON.parse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
    expect(resolve(REPO_ROOT, registry.$schema)).toBe(REGISTRY_SCHEMA_PATH);
  });
});
