/** Golden files: the fixture registry (one minimal, one full server) renders to the YAML under __snapshots__/. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../src/emit.ts';
import { renderObjects } from '../src/render/index.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { validateObjects } from '../src/validate/schemas.ts';
import { FIXTURES, mustParse } from './helpers.ts';

const registry = mustParse(readFileSync(resolve(FIXTURES, 'servers.json'), 'utf8'));
const files = renderFiles(registry);

describe('golden files of fixtures/servers.json', () => {
  it('renders the expected set of files', () => {
    expect(files.map((f) => f.path)).toMatchSnapshot();
  });

  for (const file of files) {
    it(`matches __snapshots__/golden/${file.path}`, async () => {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/golden/${file.path}`);
    });
  }

  it('renders objects that pass schema and cross-object validation', () => {
    const objects = renderObjects(registry);
    expect(validateObjects(objects)).toEqual([]);
    expect(crossCheckObjects(objects)).toEqual([]);
  });
});
