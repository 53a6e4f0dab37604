/**
 * src/sdk-internals.ts holds what the runtime knows of the SDK beyond its exports, read from one SDK release.
 * These checks make an SDK upgrade visible: the installed SDK and every workspace's pin must be that release.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION_READ } from '../src/sdk-internals.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SDK_PACKAGES = ['@modelcontextprotocol/server', '@modelcontextprotocol/client', '@modelcontextprotocol/core'];

function manifests(): Array<{ file: string; json: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } }> {
  const folders = ['.', ...['apps', 'packages'].flatMap((parent) => readdirSync(join(ROOT, parent)).map((name) => join(parent, name)))];
  return folders
    .map((folder) => join(ROOT, folder, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => ({ file, json: JSON.parse(readFileSync(file, 'utf8')) }));
}

describe('the SDK release src/sdk-internals.ts was read from', () => {
  it.each(SDK_PACKAGES)('%s is installed at that release', (name) => {
    // The packages export no ./package.json; the installed copy is the one Node resolves from the root.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(SDK_VERSION_READ);
  });

  it('every workspace pins the SDK packages to exact versions (a minor release cannot move them silently)', () => {
    const pins = manifests().flatMap(({ file, json }) =>
      Object.entries({ ...json.dependencies, ...json.devDependencies })
        .filter(([name]) => name.startsWith('@modelcontextprotocol/') && name !== '@modelcontextprotocol/inspector' && name !== '@modelcontextprotocol/conformance')
        .map(([name, range]) => ({ file: file.slice(ROOT.length + 1), name, range })),
    );
    expect(pins.length).toBeGreaterThan(5);
    for (const pin of pins) expect(pin.range, `${pin.file}: ${pin.name}`).toMatch(/^\d+\.\d+\.\d+$/);
    for (const pin of pins.filter((p) => SDK_PACKAGES.includes(p.name))) expect(pin.range, `${pin.file}: ${pin.name}`).toBe(SDK_VERSION_READ);
  });
});
