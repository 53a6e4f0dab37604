/**
 * Builds the plan: every environment of the ref and of the working tree, rendered and compared.
 */
import { diffAccess } from './access-diff.ts';
import { diffEnvironment, type EnvironmentPlan } from './diff-objects.ts';
import { listEnvironments, renderEnvironment } from './environments.ts';
import { exportRef } from './git-tree.ts';

/** Plans for every environment present in `ref` or in the working tree at `repo`, sorted by name. */
export async function planAgainstRef(repo: string, ref: string): Promise<EnvironmentPlan[]> {
  const refTree = await exportRef(repo, ref);
  try {
    const [before, after] = await Promise.all([listEnvironments(refTree.dir), listEnvironments(repo)]);
    const environments = [...new Set([...before, ...after])].sort();
    return await Promise.all(
      environments.map(async (environment): Promise<EnvironmentPlan> => {
        try {
          const [old, next] = await Promise.all([
            renderEnvironment(refTree.dir, environment, before),
            renderEnvironment(repo, environment, after),
          ]);
          return { ...diffEnvironment(environment, old, next), access: diffAccess(old, next) };
        } catch (error) {
          return { environment, added: [], changed: [], removed: [], error: (error as Error).message };
        }
      }),
    );
  } finally {
    await refTree.dispose();
  }
}
