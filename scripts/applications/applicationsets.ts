/**
 * The ApplicationSet controller, emulated for this repository: the generators it uses (git directories, git
 * files, clusters, matrix), the Go template with `missingkey=error`, `templatePatch`, and the finalizer it adds.
 * Argo CD does not run here; this follows Argo CD v3.5's source (applicationset/generators/{git,cluster,matrix}.go,
 * applicationset/utils/utils.go, applicationset/controllers/template/patch.go) so tests, the plan and the dev stack
 * see the Applications a cluster would get. A generator or option it does not know is refused by name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../generators/src/index.ts';
import { renderString, renderValue, type Params } from './go-template.ts';

export type { KubeObject };

/** An Argo CD cluster as the clusters generator sees it (its cluster Secret's name, server and labels). */
export interface Cluster {
  name: string;
  server: string;
  labels: Record<string, string>;
}

/** The Application the ApplicationSet controller creates (only the fields this repository uses are typed). */
export interface Application extends KubeObject {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers: string[] };
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string; kustomize?: { components?: string[] } };
    destination: { server: string; namespace: string };
    ignoreDifferences?: unknown[];
    [key: string]: unknown;
  };
}

type Any = Record<string, any>;

/** The ApplicationSet controller adds this finalizer unless preserveResourcesOnDeletion is set (utils.go). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Go's path.Match: `*` and `?` never cross a `/`. */
export function pathMatch(pattern: string, path: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${regex}$`).test(path);
}

/** The files generator's default (greedy) globbing, where `*` also crosses `/` (Generators-Git-File-Globbing.md). */
export function greedyMatch(pattern: string, path: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*').replace(/\?/g, '[^/]');
  return new RegExp(`^${regex}$`).test(path);
}

/** utils.SanitizeName: lowercase, anything but [a-z0-9-] becomes `-`, trimmed of `-`, at most 253 characters. */
function sanitizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 253);
}

function pathParams(dir: string, file?: string): Any {
  return {
    path: dir,
    basename: posix.basename(dir),
    basenameNormalized: sanitizeName(posix.basename(dir)),
    ...(file ? { filename: file, filenameNormalized: sanitizeName(file) } : {}),
    segments: dir.split('/'),
  };
}

const withPrefix = (prefix: string | undefined, path: Any): Params => (prefix ? { [prefix]: { path } } : { path });

/** Directories under `root` (relative, `/`-separated) down to `depth` levels, hidden ones left out as Argo CD does. */
function directories(root: string, depth: number, dir = ''): string[] {
  if (depth === 0) return [];
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    out.push(path, ...directories(root, depth - 1, path));
  }
  return out;
}

/** Every file under `dir` of `root`, relative to `root`. */
function filesUnder(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => posix.join(posix.relative(root, e.parentPath).split('\\').join('/'), e.name));
}

function gitDirectories(git: Any, root: string): Params[] {
  const entries = git.directories as Array<{ path: string; exclude?: boolean }>;
  if (entries.some((d) => d.path.includes('**'))) throw new Error('git directories generator: ** is not emulated');
  const depth = Math.max(...entries.map((d) => d.path.split('/').length));
  const includes = entries.filter((d) => !d.exclude).map((d) => d.path);
  const excludes = entries.filter((d) => d.exclude).map((d) => d.path);
  return directories(root, depth)
    .filter((dir) => includes.some((p) => pathMatch(p, dir)) && !excludes.some((p) => pathMatch(p, dir)))
    .sort()
    .map((dir) => withPrefix(git.pathParamPrefix, pathParams(dir)));
}

/** The folder a files pattern can match under: its segments before the first with a wildcard. */
export function patternPrefix(pattern: string): string {
  const literal = pattern.split('/').findIndex((segment) => /[*?[]/.test(segment));
  return pattern.split('/').slice(0, literal < 0 ? undefined : literal).join('/');
}

/** Every git files generator pattern of the ApplicationSets (what their generators read besides folder names). */
export function filesPatterns(appsets: KubeObject[]): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isMap(value)) {
      if (isMap(value.git) && Array.isArray(value.git.files)) for (const f of value.git.files as Array<{ path: string }>) out.push(f.path);
      Object.values(value).forEach(visit);
    }
  };
  for (const appset of appsets) visit((appset.spec as Any)?.generators);
  return [...new Set(out)];
}

/** Generator results already computed for one tree, so that every environment reads the files once. */
export type GeneratorCache = Map<string, Params[]>;

function gitFiles(git: Any, root: string, cache?: GeneratorCache): Params[] {
  const key = `${root}\0${JSON.stringify(git)}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  const out: Params[] = [];
  for (const { path: pattern, exclude } of git.files as Array<{ path: string; exclude?: boolean }>) {
    if (exclude) throw new Error('git files generator: exclude is not emulated');
    for (const file of filesUnder(root, patternPrefix(pattern)).sort()) {
      const greedy = greedyMatch(pattern, file);
      // The tree must mean the same under both globbing modes, so the controller's setting cannot matter.
      if (greedy !== pathMatch(pattern, file)) throw new Error(`git files generator: ${file} matches ${pattern} only with greedy globbing`);
      if (!greedy) continue;
      const content = parse(readFileSync(join(root, file), 'utf8')) as unknown;
      const objects = Array.isArray(content) ? content : [content ?? {}];
      for (const object of objects as Any[]) out.push({ ...object, ...withPrefix(git.pathParamPrefix, pathParams(posix.dirname(file), posix.basename(file))) });
    }
  }
  cache?.set(key, out);
  return out;
}

/** The clusters generator: every cluster whose labels match the (templated) selector; its parameters (cluster.go). */
function clustersGenerator(generator: Any, clusters: Cluster[], params: Params): Params[] {
  const selector = renderValue(generator.selector ?? {}, params) as Any;
  if (selector.matchExpressions) throw new Error('clusters generator: matchExpressions is not emulated');
  const wanted = Object.entries((selector.matchLabels ?? {}) as Record<string, string>);
  return clusters
    .filter((c) => wanted.every(([k, v]) => c.labels[k] === v))
    .map((c) => ({ name: c.name, nameNormalized: sanitizeName(c.name), server: c.server, project: '', metadata: { labels: c.labels, annotations: {} } }));
}

/** Params of one generator entry; `params` are the first matrix child's, for the second child's templates. */
export function generatorParams(generator: Any, root: string, clusters: Cluster[], params: Params = {}, cache?: GeneratorCache): Params[] {
  if (generator.selector) throw new Error('generator selector (post-selector) is not emulated');
  const kinds = Object.keys(generator);
  if (kinds.length !== 1) throw new Error(`a generator entry must have exactly one generator, found ${kinds.join(', ') || 'none'}`);
  const [kind] = kinds;
  const spec = generator[kind!];
  switch (kind) {
    case 'git': {
      const git = renderValue(spec, params) as Any;
      if (git.directories && git.files) throw new Error('git generator: directories and files at once');
      return git.directories ? gitDirectories(git, root) : gitFiles(git, root, cache);
    }
    case 'clusters':
      return clustersGenerator(spec, clusters, params);
    case 'matrix': {
      const children = spec.generators as Any[];
      if (children.length !== 2) throw new Error('matrix generator: exactly two child generators');
      const out: Params[] = [];
      for (const a of generatorParams(children[0]!, root, clusters, params, cache)) {
        // The first child's parameters win over the second's (matrix.go, mergo.WithOverride).
        for (const b of generatorParams(children[1]!, root, clusters, a, cache)) out.push(deepMerge(b, a) as Params);
      }
      return out;
    }
    default:
      throw new Error(`generator ${kind} is not emulated`);
  }
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override;
  const out: Any = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

const isMap = (v: unknown): v is Any => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A strategic merge patch on an Application: maps merge, lists and scalars replace, null deletes. */
function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isMap(target) || !isMap(patch)) return patch;
  const out: Any = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicMerge(out[k], v);
  }
  return out;
}

/** The Applications one ApplicationSet makes from the repository tree at `root`, for the given clusters. */
export function expandApplicationSet(appset: KubeObject, root: string, clusters: Cluster[], cache?: GeneratorCache): Application[] {
  const spec = appset.spec as Any;
  const where = `ApplicationSet ${appset.metadata?.name}`;
  if (spec.goTemplate !== true || !(spec.goTemplateOptions ?? []).includes('missingkey=error')) throw new Error(`${where}: only goTemplate with missingkey=error is emulated`);
  if (spec.strategy) throw new Error(`${where}: strategy (progressive sync) is not emulated`);
  const apps: Application[] = [];
  for (const generator of spec.generators as Any[]) {
    for (const params of generatorParams(generator, root, clusters, {}, cache)) {
      let app = renderValue(spec.template, params) as Any;
      if (spec.templatePatch) {
        const patch = parse(renderString(spec.templatePatch as string, params)) as Any;
        // The controller keeps the template's project whatever the patch says (patch.go).
        app = { ...(strategicMerge(app, patch) as Any), spec: { ...(strategicMerge(app.spec, patch.spec ?? {}) as Any), project: app.spec.project } };
      }
      const preserve = spec.syncPolicy?.preserveResourcesOnDeletion === true;
      apps.push({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        ...app,
        metadata: {
          ...app.metadata,
          namespace: appset.metadata?.namespace ?? 'argocd',
          finalizers: app.metadata?.finalizers ?? (preserve ? [] : [RESOURCES_FINALIZER]),
        },
      } as Application);
    }
  }
  return apps;
}
