/**
 * base/environments/<name>/: the JSON patch ops of a changed object, and the Components applied with the real
 * kustomize to the fixture's base, which must give exactly what the environment's own registry renders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles } from '../../src/emit.ts';
import { environmentRegistry } from '../../src/registry/environments.ts';
import { diffOps } from '../../src/render/environments.ts';
import { renderPlaced } from '../../src/render/index.ts';
import type { KubeObject } from '../../src/render/meta.ts';
import { kustomizeBuild } from '../../src/validate/kustomize.ts';
import { fixtureRegistry } from '../helpers.ts';

describe('diffOps', () => {
  it('changes maps field by field and equal-length lists item by item, testing a named item before it', () => {
    const from = { a: 1, b: { c: 'x', gone: true }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], l: [1, 2] };
    const to = { a: 1, b: { c: 'y', d: 'new' }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }], l: [1, 2, 3] };
    expect(diffOps(from, to)).toEqual([
      { op: 'remove', path: '/b/gone' },
      { op: 'replace', path: '/b/c', value: 'y' },
      { op: 'add', path: '/b/d', value: 'new' },
      { op: 'test', path: '/env/1/name', value: 'B' },
      { op: 'replace', path: '/env/1/value', value: '3' },
      { op: 'replace', path: '/l', value: [1, 2, 3] },
    ]);
    expect(diffOps({ 'app.kubernetes.io/x': 'a', '~k': 1 }, { 'app.kubernetes.io/x': 'b', '~k': 2 })).toEqual([
      { op: 'replace', path: '/app.kubernetes.io~1x', value: 'b' },
      { op: 'replace', path: '/~0k', value: 2 },
    ]);
    expect(diffOps({ a: [1] }, { a: [1] })).toEqual([]);
  });
});

describe('the fixture environment staging, built with kustomize', () => {
  let tree: string;
  const build = (dir: string) => kustomizeBuild(join(tree, dir)) as Promise<KubeObject[]>;
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sortKeys) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)])) : value;
  const byKey = (objects: KubeObject[]) => new Map(objects.map((o) => [key(o), sortKeys(o)]));

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'environments-'));
    for (const file of renderFiles(fixtureRegistry())) {
      mkdirSync(dirname(join(tree, file.path)), { recursive: true });
      writeFileSync(join(tree, file.path), file.content);
    }
    // What an overlay does: the base unit, with the environment's Component.
    const overlay = (dir: string, resource: string, component: string) => {
      mkdirSync(join(tree, dir), { recursive: true });
      writeFileSync(join(tree, dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [${resource}]\ncomponents: [${component}]\n`);
    };
    overlay('overlays/staging', '../../base/shared', '../../base/environments/staging/shared');
    overlay('overlays/staging-full', '../../base/servers/mcp-full', '../../base/environments/staging/servers');
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('turns the shared unit into what the environment renders: tenant, URL, hosts, a Secret in place of the Certificate, the internal load balancer', async () => {
    const expected = renderPlaced(environmentRegistry(fixtureRegistry(), 'staging')).filter((p) => p.dir.startsWith('shared')).map((p) => p.object);
    const built = await build('overlays/staging');
    expect([...byKey(built).keys()].sort()).toEqual([...byKey(expected).keys()].sort());
    expect(byKey(built)).toEqual(byKey(expected));
    expect(built.find((o) => o.kind === 'Certificate')).toBeUndefined();
    const gateway = built.find((o) => o.kind === 'Gateway') as any;
    expect(gateway.spec.listeners[1].tls.certificateRefs[0].name).toBe('staging-tls');
    const parameters = built.find((o) => o.kind === 'AgentgatewayParameters') as any;
    // The environment's service replaces the top level's whole (its annotations included).
    expect(parameters.spec.service).toEqual({ metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } }, spec: { type: 'LoadBalancer' } });
  });

  it("leaves a server's unit as it is when the environment changes nothing servers show", async () => {
    const expected = renderPlaced(fixtureRegistry()).filter((p) => p.dir === 'servers/mcp-full').map((p) => p.object);
    expect(byKey(await build('overlays/staging-full'))).toEqual(byKey(expected));
  });
});
