/** Rendering is pure and deterministic: same input, same bytes; input order does not matter. */
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../src/emit.ts';
import { parseRegistry } from '../src/registry/parse.ts';
import { repoRegistryJson } from './helpers.ts';

describe('determinism', () => {
  it('renders the same bytes twice', () => {
    const text = JSON.stringify(repoRegistryJson());
    expect(renderFiles(parseRegistry(text).registry!)).toEqual(renderFiles(parseRegistry(text).registry!));
  });

  it('does not depend on the order of servers in servers.json', () => {
    const json = repoRegistryJson();
    const reversed = { ...json, servers: [...json.servers].reverse() };
    expect(renderFiles(parseRegistry(JSON.stringify(reversed)).registry!)).toEqual(renderFiles(parseRegistry(JSON.stringify(json)).registry!));
  });

  it('contains no timestamp', () => {
    for (const file of renderFiles(parseRegistry(JSON.stringify(repoRegistryJson())).registry!)) {
      expect(file.content).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});
