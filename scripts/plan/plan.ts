/**
 * Builds the plan: per environment, the Applications Argo CD would make from the ref and from the working tree,
 * and for those a change touches (by their manifest-generate-paths, as Argo CD decides), both renders compared.
 * Applications whose inputs did not change are not rendered and are counted as skipped, so a one-server change
 * renders a handful of small units whatever the size of the fleet.
 */
import { diffAccess } from './access-diff.ts';
import { diffTools } from './tool-diff.ts';
import { environmentApplications, listEnvironments, loadApplicationSets, mapLimit } from '../applications/environments.ts';
import { filesPatterns, greedyMatch, patternPrefix, type Application, type GeneratorCache, type KubeObject } from '../applications/applicationsets.ts';
import { refreshPaths, touches } from '../applications/refresh-paths.ts';
import { renderApplication } from '../applications/repo-server.ts';
import { diffEnvironment, type EnvironmentPlan } from './diff-objects.ts';
import { changedFiles, exportRef, MANIFEST_PATHS, type RefTree } from './git-tree.ts';

/** Both sides of one Application name: either may be missing (added or removed by the change). */
interface ApplicationPair {
  name: string;
  before?: Application;
  after?: Application;
}

/** What Argo CD itself tracks of an Application, as an object of the plan (its spec shows in the diff). */
function applicationObject(app: Application): KubeObject {
  return { apiVersion: app.apiVersion, kind: app.kind, metadata: app.metadata, spec: app.spec };
}

const same = (a: Application, b: Application) => JSON.stringify(applicationObject(a)) === JSON.stringify(applicationObject(b));

/** The Applications a change touches: new, gone, changed themselves, or with a changed file among their inputs. */
function touched(pair: ApplicationPair, changed: string[]): boolean {
  const { before, after } = pair;
  if (!before || !after || !same(before, after)) return true;
  return touches(before, changed) || touches(after, changed);
}

function pairsOf(before: Application[], after: Application[]): ApplicationPair[] {
  const pairs = new Map<string, ApplicationPair>();
  for (const app of before) pairs.set(app.metadata.name, { name: app.metadata.name, before: app });
  for (const app of after) pairs.set(app.metadata.name, { ...pairs.get(app.metadata.name), name: app.metadata.name, after: app });
  return [...pairs.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Extracts from the ref what its ApplicationSets' files generators read (the servers' argocd-params.yaml). */
async function extractGeneratorFiles(refTree: RefTree, appsets: KubeObject[]): Promise<void> {
  const patterns = filesPatterns(appsets);
  const candidates = await refTree.list([...new Set(patterns.map(patternPrefix))]);
  await refTree.extract(candidates.filter((file) => patterns.some((p) => greedyMatch(p, file))));
}

/** Extracts from the ref what the Applications read: their manifest-generate-paths, or everything when they have none. */
async function extractInputs(refTree: RefTree, apps: Application[]): Promise<void> {
  const paths = apps.flatMap((app) => (refreshPaths(app).length > 0 ? refreshPaths(app) : [...MANIFEST_PATHS]));
  await refTree.extract(await refTree.list([...new Set(paths)]));
}

/** Plans for every environment present in `ref` or in the working tree at `repo`, sorted by name. */
export async function planAgainstRef(repo: string, ref: string): Promise<EnvironmentPlan[]> {
  const refTree = await exportRef(repo, ref);
  try {
    const [changed, beforeEnvs, afterEnvs, beforeSets, afterSets] = await Promise.all([
      changedFiles(repo, refTree.commit),
      listEnvironments(refTree.dir),
      listEnvironments(repo),
      loadApplicationSets(refTree.dir).catch((error: Error) => error),
      loadApplicationSets(repo).catch((error: Error) => error),
    ]);
    if (!(beforeSets instanceof Error)) await extractGeneratorFiles(refTree, beforeSets);
    const beforeCache: GeneratorCache = new Map();
    const afterCache: GeneratorCache = new Map();
    const environments = [...new Set([...beforeEnvs, ...afterEnvs])].sort();
    const plans: EnvironmentPlan[] = [];
    for (const environment of environments) {
      try {
        if (beforeSets instanceof Error) throw new Error(`argocd/ at ${ref}: ${beforeSets.message}`);
        if (afterSets instanceof Error) throw new Error(`argocd/: ${afterSets.message}`);
        const before = beforeEnvs.includes(environment) ? environmentApplications(refTree.dir, beforeSets, environment, beforeCache) : [];
        const after = afterEnvs.includes(environment) ? environmentApplications(repo, afterSets, environment, afterCache) : [];
        const pairs = pairsOf(before, after);
        const rendered = pairs.filter((pair) => touched(pair, changed));
        await extractInputs(refTree, rendered.flatMap((pair) => pair.before ?? []));
        // Two kustomize runs at a time: they are CPU-bound and the machine has two cores.
        const sides = await mapLimit(rendered, 2, async (pair) => ({
          old: pair.before ? [applicationObject(pair.before), ...(await renderApplication(refTree.dir, pair.before))] : [],
          next: pair.after ? [applicationObject(pair.after), ...(await renderApplication(repo, pair.after))] : [],
        }));
        const old = sides.flatMap((s) => s.old);
        const next = sides.flatMap((s) => s.next);
        plans.push({
          ...diffEnvironment(environment, old, next),
          access: diffAccess(old, next),
          tools: diffTools(old, next),
          rendered: rendered.map((p) => p.name),
          skipped: pairs.length - rendered.length,
        });
      } catch (error) {
        plans.push({ environment, added: [], changed: [], removed: [], error: (error as Error).message });
      }
    }
    return plans;
  } finally {
    await refTree.dispose();
  }
}
