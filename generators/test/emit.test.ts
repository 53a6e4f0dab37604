import { describe, expect, it } from 'vitest';
import { GENERATED_NOTICE, renderFiles, toYaml, YAML_HEADER } from '../src/emit.ts';
import { goodRegistry } from './helpers.ts';

describe('toYaml', () => {
  it('puts the header on line 1, apiVersion/kind/metadata first, and quotes what YAML 1.1 readers would misread', () => {
    const text = toYaml({ spec: { a: 'on', b: '2026-03-01', c: 'false', d: '8000' }, metadata: { name: 'x' }, kind: 'ConfigMap', apiVersion: 'v1' });
    expect(text).toBe(`${YAML_HEADER}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  a: "on"\n  b: "2026-03-01"\n  c: "false"\n  d: "8000"\n`);
  });
});

describe('renderFiles', () => {
  const files = renderFiles(goodRegistry());

  it('marks every file as generated and lists every file in the manifest', () => {
    for (const file of files.filter((f) => f.path.endsWith('.yaml'))) expect(file.content.split('\n')[0]).toBe(`# ${GENERATED_NOTICE}`);
    for (const file of files.filter((f) => f.path.endsWith('.md'))) expect(file.content.split('\n')[0]).toBe(`<!-- ${GENERATED_NOTICE} -->`);
    const manifest = JSON.parse(files.find((f) => f.path === 'base/.generated.json')!.content);
    expect(manifest['//']).toBe(GENERATED_NOTICE);
    expect(manifest.files).toEqual(files.map((f) => f.path));
  });

  it('writes only under base/ and docs/architecture.md', () => {
    for (const file of files) expect(file.path === 'docs/architecture.md' || file.path.startsWith('base/')).toBe(true);
  });
});
