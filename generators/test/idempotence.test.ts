/** Rendering is pure and deterministic: same input, same bytes; input order does not matter. */
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../src/emit.ts';
import { parseRegistry } from '../src/registry/parse.ts';
import { repoRegistryJson, parseWithLocks } from './helpers.ts';

describe('determinism', () => {
  it('renders the same bytes twice', () => {
    const text = JSON.stringify(repoRegistryJson());
    expect(renderFiles(parseWithLocks(text).registry!)).toEqual(renderFiles(parseWithLocks(text).registry!));
  });

  it('does not depend on the order of servers in servers.json', () => {
    const json = repoRegistryJson();
    const reversed = { ...json, servers: [...json.servers].reverse() };
    expect(renderFiles(parseWithLocks(JSON.stringify(reversed)).registry!)).toEqual(renderFiles(parseWithLocks(JSON.stringify(json)).registry!));
  });

  it('contains no timestamp', () => {
    for (const file of renderFiles(parseWithLocks(JSON.stringify(repoRegistryJson())).registry!)) {
      expect(file.content).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});
