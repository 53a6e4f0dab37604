/**
 * `npm run generate [-- --check] [--root <dir>] [--registry <file>]`
 *
 * Reads servers.json, validates it, renders base/ and docs/architecture.md in memory, validates every object
 * (schemas, CRD CEL rules, cross-object checks, the policies' own CEL, the restricted Pod Security Standard), then
 * replaces the files that differ (or, with --check, only compares).
 * Exit codes: 0 done / up to date; 1 problems in the registry or the output, or --check found differences; 2 usage.
 * The only generator module that touches the disk.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderFiles } from './emit.ts';
import { formatProblem, loadRegistry } from './registry/parse.ts';
import { environmentObjects } from './render/environments.ts';
import { renderObjects, renderPlaced } from './render/index.ts';
import { crossCheckObjects } from './validate/cross-check.ts';
import { checkPodSecurity } from './validate/pod-security.ts';
import { checkPolicyCel } from './validate/policy-cel.ts';
import { validateObjectsWithStats } from './validate/schemas.ts';
import { applyPlan, isClean, planChanges, type Plan } from './write.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

function printPlan(plan: Plan, out: (line: string) => void): void {
  for (const [label, paths] of [['added', plan.added], ['changed', plan.changed], ['stale', plan.stale]] as const) {
    for (const path of paths) out(`  ${label.padEnd(8)}${path}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { check: { type: 'boolean' }, root: { type: 'string' }, registry: { type: 'string' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run generate [-- --check] [--root <dir>] [--registry <file>]`);
    return 2;
  }
  const root = resolve(args.root ?? REPO_ROOT);
  const registryPath = resolve(root, args.registry ?? 'servers.json');
  const { registry, problems } = await loadRegistry(registryPath);
  if (!registry) {
    console.error(`${registryPath}: ${problems.length} problem(s); nothing was written:`);
    for (const p of problems) console.error(`  ${formatProblem(p, args.registry ?? 'servers.json')}`);
    return 1;
  }
  const objects = renderObjects(registry);
  // What the environments change (base/environments/) is checked like the base: schemas, CRD rules, policy CEL.
  let changed;
  try {
    changed = environmentObjects(registry, renderPlaced(registry));
  } catch (error) {
    console.error(`the environments cannot be rendered (a generator bug); nothing was written:\n  ${(error as Error).message}`);
    return 1;
  }
  const { problems: schemaProblems, cel } = validateObjectsWithStats([...objects, ...changed]);
  const invalid = [...schemaProblems, ...crossCheckObjects(objects), ...checkPolicyCel([...objects, ...changed]), ...checkPodSecurity(objects)];
  // Rules the CEL library cannot run are never passed silently: say which ones were skipped.
  for (const [rule, { reason, count }] of cel.unsupported) console.error(`note: CEL rule not evaluated ${count}x (${reason}): ${rule}`);
  if (invalid.length > 0) {
    console.error(`the rendered objects have ${invalid.length} problem(s) (a generator bug); nothing was written:`);
    for (const p of invalid) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const files = renderFiles(registry);
  const plan = planChanges(root, files);
  if (args.check) {
    if (isClean(plan)) {
      console.log(`base/ and docs/architecture.md are up to date (${files.length} files).`);
      return 0;
    }
    console.error('generated files differ from servers.json:');
    printPlan(plan, console.error);
    console.error('run `npm run generate` and commit the result.');
    return 1;
  }
  applyPlan(root, files, plan);
  const changes = plan.added.length + plan.changed.length + plan.stale.length;
  console.log(`${registry.servers.length} server(s), ${objects.length} objects, ${files.length} files; ${changes === 0 ? 'no change' : `${changes} change(s):`}`);
  printPlan(plan, console.log);
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`generate failed: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
