/**
 * `npm run validate`: builds every kustomization a cluster or Argo CD reads (base/, each environment of
 * overlays/, argocd/apps, argocd/bootstrap) with kustomize and validates every object it renders: core, Gateway
 * API and Argo CD kinds against their models' schemas, agentgateway kinds against the CRDs in generators/crds
 * (their CEL rules included), unknown kinds refused; base/ and the environments also get the cross-object checks
 * (routes reach Services, every MCP route is behind the JWT policy ...). Components are built through the
 * environments that use them.
 *
 * Usage: npm run validate [-- --root <dir>]
 * Exit codes: 0 every build valid, 1 a build failed or an object is invalid, 2 bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { crossCheckObjects, kustomizeBuild, validateObjects, type KubeObject } from '../generators/src/index.ts';
import { listEnvironments } from './plan/environments.ts';

/** What one kustomization gave. */
export interface ValidationResult {
  dir: string;
  objects: number;
  problems: string[];
}

/** The kustomizations to validate, relative to the root, and whether the cross-object checks apply. */
export async function validationTargets(root: string): Promise<Array<{ dir: string; crossCheck: boolean }>> {
  const environments = await listEnvironments(root);
  return [
    { dir: 'base', crossCheck: true },
    ...environments.map((env) => ({ dir: `overlays/${env}`, crossCheck: true })),
    { dir: 'argocd/apps', crossCheck: false },
    { dir: 'argocd/bootstrap', crossCheck: false },
  ];
}

/** Builds and validates one kustomization. */
async function validateDir(root: string, dir: string, crossCheck: boolean): Promise<ValidationResult> {
  let objects: KubeObject[];
  try {
    objects = await kustomizeBuild(resolve(root, dir));
  } catch (error) {
    return { dir, objects: 0, problems: [(error as Error).message] };
  }
  const problems = [...validateObjects(objects), ...(crossCheck ? crossCheckObjects(objects) : [])].map((p) => `${p.where}: ${p.message}`);
  return { dir, objects: objects.length, problems };
}

/** Validates every target under `root`. */
export async function validateRepository(root: string): Promise<ValidationResult[]> {
  const results: ValidationResult[] = [];
  for (const { dir, crossCheck } of await validationTargets(root)) results.push(await validateDir(root, dir, crossCheck));
  return results;
}

async function main(argv: string[]): Promise<number> {
  let root: string;
  try {
    const { values } = parseArgs({ args: argv, options: { root: { type: 'string' } } });
    root = resolve(values.root ?? resolve(import.meta.dirname, '..'));
  } catch (error) {
    process.stderr.write(`validate: ${(error as Error).message}\nusage: npm run validate [-- --root <dir>]\n`);
    return 2;
  }
  const results = await validateRepository(root);
  for (const result of results) {
    if (result.problems.length === 0) process.stdout.write(`ok    ${result.dir}: ${result.objects} objects valid\n`);
    else process.stdout.write(`FAIL  ${result.dir}:\n${result.problems.map((p) => `        ${p}`).join('\n')}\n`);
  }
  const failed = results.filter((r) => r.problems.length > 0).length;
  process.stdout.write(failed === 0 ? `validate: ${results.length} kustomizations valid\n` : `validate: ${failed} of ${results.length} kustomizations failed\n`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
