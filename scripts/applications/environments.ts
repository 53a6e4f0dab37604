/**
 * An environment as Argo CD deploys it: the Applications the ApplicationSets of `argocd/apps` make for the
 * cluster labelled with it, and what each of them renders. This is how the tests, the plan and `npm run dev`
 * read an environment; none of them builds the fleet in one kustomize run.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { kustomizeBuild } from '../../generators/src/index.ts';
import { expandApplicationSet, type Application, type Cluster, type GeneratorCache, type KubeObject } from './applicationsets.ts';
import { renderApplication } from './repo-server.ts';

/** Kustomize building blocks, not environments (the ApplicationSets exclude them too). */
export const COMPONENTS_DIR = 'components';

/** The label that sends an environment to its cluster (docs/operations.md, bootstrapping). */
export const ENVIRONMENT_LABEL = 'mcp.gitops/environment';

/** Where the ApplicationSets live; the root Application syncs this folder. */
export const APPS_DIR = 'argocd/apps';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Sorted names of the environments under `<root>/overlays`; none when the folder is missing. */
export async function listEnvironments(root: string): Promise<string[]> {
  const overlays = join(root, 'overlays');
  const entries = await readdir(overlays, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === COMPONENTS_DIR || entry.name.startsWith('.')) continue;
    const files = await Promise.all(KUSTOMIZATION_FILES.map((f) => exists(join(overlays, entry.name, f))));
    if (files.some(Boolean)) names.push(entry.name);
  }
  return names.sort();
}

/** The one cluster an environment's Argo CD knows: itself, labelled with the environment. */
export function environmentCluster(environment: string): Cluster {
  return { name: 'in-cluster', server: 'https://kubernetes.default.svc', labels: { [ENVIRONMENT_LABEL]: environment } };
}

/** The ApplicationSets of a tree, as the root Application renders `argocd/apps`. */
export async function loadApplicationSets(root: string): Promise<KubeObject[]> {
  return ((await kustomizeBuild(join(root, APPS_DIR))) as KubeObject[]).filter((o) => o.kind === 'ApplicationSet');
}

/**
 * Every Application of `environment` that the ApplicationSets make from the tree at `root`, sorted by name. Pass
 * one `cache` for several environments of the same tree so that the generators read its files once.
 */
export function environmentApplications(root: string, appsets: KubeObject[], environment: string, cache?: GeneratorCache): Application[] {
  const cluster = environmentCluster(environment);
  return appsets.flatMap((appset) => expandApplicationSet(appset, root, [cluster], cache)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** Runs `task` over `items` with at most `limit` at once (kustomize runs are CPU-bound; the machine has 2 cores). */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One Application with what it renders. */
export interface RenderedApplication {
  application: Application;
  objects: KubeObject[];
}

/** Renders every Application of an environment; the union of their objects is what the cluster gets. */
export async function renderEnvironment(root: string, environment: string, options: { concurrency?: number } = {}): Promise<RenderedApplication[]> {
  const applications = environmentApplications(root, await loadApplicationSets(root), environment);
  return mapLimit(applications, options.concurrency ?? 2, async (application) => ({ application, objects: await renderApplication(root, application) }));
}

/** The objects of an environment in one list (for reading it as a whole: the dev stack, the tests). */
export async function environmentObjects(root: string, environment: string): Promise<KubeObject[]> {
  return (await renderEnvironment(root, environment)).flatMap((r) => r.objects);
}
