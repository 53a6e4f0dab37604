/**
 * `npm run validate`: builds everything a cluster or Argo CD reads with kustomize and validates every object it
 * renders: each unit of base/ (base/shared, base/servers/<name>), each environment as Argo CD renders it (every
 * Application the ApplicationSets make for it, each built like the repo server builds it, the Applications
 * themselves included; scripts/applications), argocd/apps, argocd/bootstrap and argocd/health. Core, Gateway API and Argo CD
 * kinds against their models' schemas, agentgateway kinds against the CRDs in generators/crds (their CEL rules
 * included), unknown kinds refused; base/ and each environment, taken whole, also get the cross-object checks
 * (routes reach Services, every MCP route is behind the JWT policy ...). Components are built through the
 * environments that use them. An environment of N servers is N + 1 renders, so this is the fleet-wide check.
 *
 * Usage: npm run validate [-- --root <dir>]
 * Exit codes: 0 every build valid, 1 a build failed or an object is invalid, 2 bad arguments.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { crossCheckObjects, kustomizeBuild, validateObjects, type KubeObject } from '../generators/src/index.ts';
import { listEnvironments, mapLimit, renderEnvironment } from './applications/environments.ts';

/** What one kustomization gave. */
export interface ValidationResult {
  dir: string;
  objects: number;
  problems: string[];
}

/** What one target renders: a kustomization, the units of base/, or an environment's Applications. */
type Target = { dir: string; crossCheck: boolean; render: (root: string) => Promise<KubeObject[]> };

/** The units of base/: each folder with a kustomization at its top (base/shared, base/servers/<name>). */
function baseUnits(root: string): string[] {
  const servers = existsSync(join(root, 'base/servers')) ? readdirSync(join(root, 'base/servers')).sort().map((s) => `base/servers/${s}`) : [];
  return ['base/shared', ...servers].filter((dir) => existsSync(join(root, dir, 'kustomization.yaml')));
}

/** The targets to validate, by the path a reader knows them by, and whether the cross-object checks apply. */
export async function validationTargets(root: string): Promise<Target[]> {
  const environments = await listEnvironments(root);
  const kustomization = (dir: string) => (at: string) => kustomizeBuild(resolve(at, dir));
  return [
    { dir: 'base', crossCheck: true, render: async (at) => (await mapLimit(baseUnits(at), 2, (unit) => kustomizeBuild(resolve(at, unit)))).flat() },
    ...environments.map((env) => ({
      dir: `overlays/${env}`,
      crossCheck: true,
      render: async (at: string) => (await renderEnvironment(at, env)).flatMap((r) => [r.application as unknown as KubeObject, ...(r.objects as KubeObject[])]),
    })),
    { dir: 'argocd/apps', crossCheck: false, render: kustomization('argocd/apps') },
    { dir: 'argocd/bootstrap', crossCheck: false, render: kustomization('argocd/bootstrap') },
    { dir: 'argocd/health', crossCheck: false, render: kustomization('argocd/health') },
  ];
}

/** Builds and validates one target. */
async function validateTarget(root: string, target: Target): Promise<ValidationResult> {
  let objects: KubeObject[];
  try {
    objects = await target.render(root);
  } catch (error) {
    return { dir: target.dir, objects: 0, problems: [(error as Error).message] };
  }
  const checked = target.crossCheck ? objects.filter((o) => o.kind !== 'Application') : objects;
  const problems = [...validateObjects(objects), ...(target.crossCheck ? crossCheckObjects(checked) : [])].map((p) => `${p.where}: ${p.message}`);
  return { dir: target.dir, objects: objects.length, problems };
}

/** Validates every target under `root`. */
export async function validateRepository(root: string): Promise<ValidationResult[]> {
  const results: ValidationResult[] = [];
  for (const target of await validationTargets(root)) results.push(await validateTarget(root, target));
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
