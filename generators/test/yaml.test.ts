/**
 * The fast YAML writer against the `yaml` package it stands in for: the same bytes for every object the generators
 * render (the repository, the fixture, a 300-server synthetic fleet) and for strings chosen to hit each quoting
 * rule; and most objects are written by the fast path (else the speed-up would be gone unnoticed).
 */
import { describe, expect, it } from 'vitest';
import { syntheticRegistry, syntheticToolLocks } from '../bench/generate.bench.ts';
import { parseRegistry } from '../src/registry/parse.ts';
import { renderObjects } from '../src/render/index.ts';
import { renderServerApplicationParams } from '../src/render/argocd-params.ts';
import { renderKustomizations } from '../src/render/kustomization.ts';
import { renderPlaced, renderUnits } from '../src/render/index.ts';
import { stringifyWithPackage, stringifyYaml, stringifyYamlFast } from '../src/yaml.ts';
import { fixtureRegistry, repoRegistry } from './helpers.ts';

const synthetic = parseRegistry(syntheticRegistry(300), syntheticToolLocks(300)).registry!;

function everythingRendered() {
  return [repoRegistry(), fixtureRegistry(), synthetic].flatMap((registry) => [
    ...renderObjects(registry),
    ...renderKustomizations(renderPlaced(registry), renderUnits(registry)).values(),
    ...registry.servers.map(renderServerApplicationParams),
  ]) as unknown as Record<string, unknown>[];
}

const AWKWARD = [
  '', ' ', 'a', 'x: y', 'x:y', 'x:', ':x', '- x', '-', '-x', '?', '? x', '?x', '#x', 'a #b', 'a#b', 'a ', ' a', 'a  b',
  "it's", 'say "hi"', `both ' and "`, '\\', 'a\\nb', '*', '*/23 * * * *', '&a', '!tag', '|', '>', '%x', '@x', '`x`', '[x]', '{x}', 'a,b', 'a]',
  '=', '~', 'null', 'Null', 'NULL', 'true', 'True', 'yes', 'Yes', 'no', 'on', 'ON', 'off', 'y', 'n', 'Y', 'N',
  '0', '1', '-1', '+1', '007', '08', '0b101', '0x1F', '0o17', '1_000', '1.0', '.5', '1.', '1e3', '1E-3', '.inf', '-.Inf', '.nan',
  '12:30', '1:20:30', '2026-03-01', '2026-3-1', '2026-03-01T10:00:00Z', '2026-03-01 10:00:00', '1.0.42', '0.2.0-rc.1', 'v1.4.1',
  '---', '---x', 'x---', '...', '..', '<<', 'a<<', 'ghcr.io/example/mcp-gateway/mcp-example:0.2.0', 'api://dddd/mcp.access',
  'https://login.microsoftonline.com/x/v2.0', '/mcp/mcp-example', 'openid profile offline_access', 'a\tb', 'line\nline', 'line\n', 'é', '→',
  'a\nb\n', 'a\n\nb\n', ' a\nb\n', 'a\n \nb\n', 'a \nb\n', 'a\nb\n\n', '\na\n', '{\n  "x": "y: z # w"\n}\n', '- a\n', '#x\n', '---\n', 'é\n→\n',
  'a\tb\nc\n', 'a\u2028b\n', 'a\u0085b\n', 'x: |\n  y\n', '\ufeffa\nb\n', '😀\nb\n',
];

describe('stringifyYaml', () => {
  it('writes what the yaml package writes for every rendered object', () => {
    const objects = everythingRendered();
    expect(objects.length).toBeGreaterThan(2000);
    for (const object of objects) expect(stringifyYaml(object)).toBe(stringifyWithPackage(object));
  });

  it('writes what the yaml package writes for awkward strings, as values and as keys, in maps and sequences', () => {
    for (const text of AWKWARD) {
      const value = { k: text, list: [text, { inner: text }, [text]], nested: { [text]: text } };
      expect(stringifyYaml(value), JSON.stringify(text)).toBe(stringifyWithPackage(value));
    }
  });

  it('writes a text of a few hundred thousand lines (a large fleet\'s catalog) as the package does', () => {
    const text = `${Array.from({ length: 300_000 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const value = { data: { 'catalog.json': text } };
    expect(stringifyYaml(value)).toBe(stringifyWithPackage(value));
  });

  it('writes empty collections, numbers, booleans and null as the package does, and skips undefined', () => {
    const values = [{}, { a: {} }, { a: [] }, { a: [[], {}, [[1, 2], []]] }, { a: undefined, b: 1 }, { a: { b: undefined } }, { n: [0, -3, 292, 2 ** 40, 1.5, -0, 1e21] }, { t: true, f: false, z: null }];
    for (const value of values) expect(stringifyYaml(value as Record<string, unknown>), JSON.stringify(value)).toBe(stringifyWithPackage(value));
  });

  it('leaves less than one object in a hundred to the package', () => {
    const objects = everythingRendered();
    const slow = objects.filter((o) => stringifyYamlFast(o) === undefined).map((o) => `${o.kind}/${(o.metadata as { name?: string } | undefined)?.name}`);
    // Today: the UI route (one backendRefs list used by two rules: an alias). Multi-line text (the UI catalog, the
    // tool locks) is a literal block the fast path writes.
    expect(slow).toContain('HTTPRoute/mcp-ui');
    expect(slow).not.toContain('ConfigMap/mcp-ui-catalog');
    expect(slow.length / objects.length, slow.join(', ')).toBeLessThan(0.01);
  });
});
