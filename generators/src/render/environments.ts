/**
 * Each environment's values (`environments.<name>` in servers.json) as Kustomize Components under
 * `base/environments/<name>/`, which the hand-written overlays include: `shared/` in the environment's shared
 * Application (overlays/<name>/), `servers/` in every server Application (through overlays/<name>/servers/).
 *
 * They are not written by hand: the generator renders the environment's registry (environments.ts in registry/)
 * and diffs it against the base, object by object. A changed field becomes a JSON patch op on the object, an object
 * only the environment has becomes a resource, one only the base has a delete patch. Server objects change the same
 * way on every server (the environment's API scope in each access policy's challenge), so the servers Component
 * carries one patch per kind and component label, whatever the size of the fleet.
 */
import { environmentNames, environmentRegistry } from '../registry/environments.ts';
import type { Registry } from '../registry/types.ts';
import { renderPlaced } from './index.ts';
import type { KubeObject } from './meta.ts';
import { SHARED_UNIT, sourceOf, type PlacedObject } from './placed.ts';

/** This module, as the headers of the files it renders name it. */
export const SOURCE = sourceOf(import.meta.url);

/** Where an environment's Components go, relative to `base/`. */
export const environmentDir = (name: string): string => `environments/${name}`;

/** One JSON patch (RFC 6902) operation. */
export interface PatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/** A kustomize patch target. */
export interface PatchTarget {
  group?: string;
  version: string;
  kind: string;
  name?: string;
  labelSelector?: string;
}

/** A file of a Component: a patch (ops or a delete), or an object it adds. */
export interface ComponentFile {
  file: string;
  content: object;
  /** Set for a JSON patch file: what it patches. */
  target?: PatchTarget;
  /** A strategic-merge delete patch (no target) or a resource. */
  role: 'json-patch' | 'delete' | 'resource';
}

/** One Component folder of an environment (`environments/<name>/shared` or `/servers`). */
export interface EnvironmentComponent {
  dir: string;
  files: ComponentFile[];
}

const pointer = (segment: string | number): string => String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Deep equality of plain JSON values, key order ignored. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
}

/**
 * The ops that turn `from` into `to`: maps field by field, lists of equal length item by item, anything else
 * replaced. A changed list item with a `name` (an env variable, a container) is addressed by index, so a `test`
 * of its name goes first: should the base ever reorder the list, kustomize fails instead of patching another item.
 */
export function diffOps(from: unknown, to: unknown, path = ''): PatchOp[] {
  if (from === to) return [];
  if (isRecord(from) && isRecord(to)) {
    const ops: PatchOp[] = [];
    for (const key of Object.keys(from)) if (!(key in to)) ops.push({ op: 'remove', path: `${path}/${pointer(key)}` });
    for (const [key, value] of Object.entries(to)) {
      ops.push(...(key in from ? diffOps(from[key], value, `${path}/${pointer(key)}`) : [{ op: 'add' as const, path: `${path}/${pointer(key)}`, value }]));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    if (same(from, to)) return [];
    return from.flatMap((item, i) => {
      const ops = diffOps(item, to[i], `${path}/${i}`);
      const name = isRecord(item) && typeof item.name === 'string' && isRecord(to[i]) && to[i].name === item.name ? item.name : undefined;
      return ops.length > 0 && name !== undefined ? [{ op: 'test' as const, path: `${path}/${i}/name`, value: name }, ...ops] : ops;
    });
  }
  // Scalars that differ, or values of different shapes (never equal).
  return [{ op: 'replace', path, value: to }];
}

const groupVersion = (object: KubeObject): { group?: string; version: string } => {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return group ? { group, version: version! } : { version: version! };
};
/** Whether a folder is in the shared unit (every other object is in a server's). */
const inShared = (dir: string): boolean => dir === SHARED_UNIT || dir.startsWith(`${SHARED_UNIT}/`);
const objectKey = (o: KubeObject): string => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const fileStem = (o: KubeObject): string => `${o.kind.toLowerCase()}-${o.metadata.name}`;

/** The shared Component: per object of the shared unit, its ops, or the object added or deleted. */
function sharedComponent(base: PlacedObject[], env: PlacedObject[]): ComponentFile[] {
  const baseByKey = new Map(base.map((p) => [objectKey(p.object), p.object]));
  const envByKey = new Map(env.map((p) => [objectKey(p.object), p.object]));
  const files: ComponentFile[] = [];
  for (const [key, object] of envByKey) {
    const before = baseByKey.get(key);
    if (!before) {
      files.push({ file: `${fileStem(object)}.yaml`, content: object, role: 'resource' });
      continue;
    }
    const ops = diffOps(before, object);
    if (ops.length > 0) files.push({ file: `${fileStem(object)}.yaml`, content: ops, target: { ...groupVersion(object), kind: object.kind, name: object.metadata.name }, role: 'json-patch' });
  }
  for (const [key, object] of baseByKey) {
    if (envByKey.has(key)) continue;
    const { apiVersion, kind, metadata } = object;
    files.push({ file: `delete-${fileStem(object)}.yaml`, content: { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace }, $patch: 'delete' }, role: 'delete' });
  }
  return files.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/**
 * The servers Component: the ops of every server object, grouped by kind and component label. A group whose servers
 * would need different ops, or an object one side lacks, cannot be one patch for the whole fleet: that is a
 * generator defect, refused here.
 */
function serversComponent(name: string, base: PlacedObject[], env: PlacedObject[]): ComponentFile[] {
  const envByKey = new Map(env.map((p) => [objectKey(p.object), p.object]));
  const groups = new Map<string, { target: PatchTarget; ops: PatchOp[]; first: string }>();
  for (const { object } of base) {
    const after = envByKey.get(objectKey(object));
    if (!after) throw new Error(`environment "${name}" would remove ${object.kind} ${object.metadata.name} from a server; only changes every server shares can be rendered`);
    envByKey.delete(objectKey(object));
    const ops = diffOps(object, after);
    const component = object.metadata.labels?.['app.kubernetes.io/component'] ?? '';
    const groupKey = `${object.apiVersion}/${object.kind}/${component}`;
    const group = groups.get(groupKey);
    if (!group) {
      groups.set(groupKey, { target: { ...groupVersion(object), kind: object.kind, labelSelector: `app.kubernetes.io/component=${component}` }, ops, first: object.metadata.name });
    } else if (!same(group.ops, ops)) {
      throw new Error(`environment "${name}" changes ${object.kind} ${object.metadata.name} unlike ${group.first} (same kind and component): a servers Component can only carry changes every server shares`);
    }
  }
  const added = [...envByKey.values()];
  if (added.length > 0) throw new Error(`environment "${name}" would add ${added[0]!.kind} ${added[0]!.metadata.name} to a server; only changes every server shares can be rendered`);
  return [...groups.values()]
    .filter((g) => g.ops.length > 0)
    .map((g) => ({ file: `${g.target.kind.toLowerCase()}-${g.target.labelSelector!.split('=')[1]}.yaml`, content: g.ops, target: g.target, role: 'json-patch' as const }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Both Components of every environment, from the registry and its base render. */
export function renderEnvironmentComponents(registry: Registry, basePlaced: PlacedObject[] = renderPlaced(registry)): EnvironmentComponent[] {
  const split = (placed: PlacedObject[]) => ({
    shared: placed.filter((p) => inShared(p.dir)),
    servers: placed.filter((p) => !inShared(p.dir)),
  });
  const base = split(basePlaced);
  return environmentNames(registry).flatMap((name) => {
    const env = split(renderPlaced(environmentRegistry(registry, name)));
    return [
      { dir: `${environmentDir(name)}/shared`, files: sharedComponent(base.shared, env.shared) },
      { dir: `${environmentDir(name)}/servers`, files: serversComponent(name, base.servers, env.servers) },
    ];
  });
}

/** The Component document of one folder: its resources and patches, in file order. */
export function componentKustomization(component: EnvironmentComponent): object {
  const resources = component.files.filter((f) => f.role === 'resource').map((f) => f.file);
  const patches = component.files.filter((f) => f.role !== 'resource').map((f) => (f.target ? { path: f.file, target: f.target } : { path: f.file }));
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    ...(resources.length > 0 ? { resources } : {}),
    patches,
  };
}

/**
 * The objects of every environment that differ from the base, for validation: each changed or added shared
 * object, and of the server objects (which change alike on every server) the first of each kind and component.
 */
export function environmentObjects(registry: Registry, basePlaced: PlacedObject[] = renderPlaced(registry)): KubeObject[] {
  const baseByKey = new Map(basePlaced.map((p) => [objectKey(p.object), p.object]));
  const out: KubeObject[] = [];
  for (const name of environmentNames(registry)) {
    const sampled = new Set<string>();
    for (const { dir, object } of renderPlaced(environmentRegistry(registry, name))) {
      const before = baseByKey.get(objectKey(object));
      if (before && same(before, object)) continue;
      if (!inShared(dir)) {
        const group = `${object.kind}/${object.metadata.labels?.['app.kubernetes.io/component'] ?? ''}`;
        if (sampled.has(group)) continue;
        sampled.add(group);
      }
      out.push(object);
    }
  }
  return out;
}
