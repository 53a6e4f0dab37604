/**
 * `npm run bench:fleet [-- 100 1000 3000] [--alternatives [servers]]`: the fleet layout at scale.
 *
 * For each size, a temporary git repository with a synthetic servers.json (generators/bench: every 10th server a
 * StatefulSet with a token refresh), this repository's overlays/ and argocd/, and:
 *   - `npm run generate` cold (empty base/), warm (nothing changed: no file written), and after one server's image
 *     changed (only that server's files written);
 *   - the largest renders Argo CD would make: each environment's shared Application and its largest server
 *     Application, built as the repo server builds them (scripts/applications);
 *   - `npm run plan` of a one-server change against the commit before it: one server's image changed, one server
 *     added;
 * each with wall time (the fastest of 3 runs: the machine is shared) and the peak resident memory of the whole
 * process tree (kustomize children included; the highest of the runs).
 *
 * `--alternatives` measures what the layout was chosen against, at one size (default 300): the fleet in one
 * kustomize build (the layout before), the same objects in one file, each transformer alone, plain ConfigMaps,
 * a shard of 16 servers, one server. Prints Markdown tables for docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { syntheticRegistry, syntheticToolLocks } from '../../generators/bench/generate.bench.ts';
import { generateNodeFlags } from '../../generators/src/node-flags.ts';
import { kustomizeCommand } from '../../generators/src/index.ts';
import type { Application } from '../applications/applicationsets.ts';
import { environmentApplications, listEnvironments, loadApplicationSets } from '../applications/environments.ts';
import { prepareApplication } from '../applications/repo-server.ts';
import { measure, type Measurement } from './measure.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** Each figure is the fastest of this many runs: the machine is shared, and the least disturbed run is the measure. */
const RUNS = 3;
const GENERATE = join(REPO_ROOT, 'generators/src/cli.ts');
const PLAN = join(REPO_ROOT, 'scripts/plan/cli.ts');

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (m: Measurement) => (m.peakRssMb === undefined ? 'n/a' : `${Math.round(m.peakRssMb)} MB`);
const both = (m: Measurement) => `${seconds(m.ms)}, ${mb(m)}`;
const count = (n: number) => n.toLocaleString('en-US');

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** A repository with `servers` synthetic servers and this repository's overlays and ApplicationSets. */
function fleetRepo(servers: number): string {
  const repo = mkdtempSync(join(tmpdir(), `fleet-${servers}-`));
  writeFileSync(join(repo, 'servers.json'), syntheticRegistry(servers));
  mkdirSync(join(repo, 'tool-locks'));
  for (const [name, lock] of syntheticToolLocks(servers)) writeFileSync(join(repo, 'tool-locks', `${name}.json`), lock);
  for (const dir of ['overlays', 'argocd']) cpSync(join(REPO_ROOT, dir), join(repo, dir), { recursive: true });
  return repo;
}

async function run(command: string, args: string[], cwd?: string): Promise<Measurement> {
  const m = await measure(command, args, { cwd });
  if (m.code !== 0) throw new Error(`${[command, ...args].join(' ')} failed (${m.code}): ${m.stderr.trim().split('\n').slice(0, 5).join('\n')}`);
  return m;
}

const generate = (repo: string) => run(process.execPath, [...generateNodeFlags(), GENERATE, '--root', repo]);

/** The fastest of `times` runs (with `between` before each): on a shared machine the least disturbed one. */
async function fastest(times: number, once: () => Promise<Measurement>, between?: () => Promise<unknown>): Promise<Measurement> {
  let best: Measurement | undefined;
  let peak: number | undefined;
  for (let i = 0; i < times; i++) {
    await between?.();
    const m = await once();
    if (m.peakRssMb !== undefined) peak = Math.max(peak ?? 0, m.peakRssMb);
    if (!best || m.ms < best.ms) best = m;
  }
  return { ...best!, peakRssMb: peak };
}

/** How many files a generate run wrote or removed, from its summary line. */
const written = (m: Measurement) => Number(/(\d+) change\(s\)/.exec(m.stdout)?.[1] ?? (m.stdout.includes('no change') ? 0 : NaN));

/** `kustomize build` of a folder, measured; the fastest of `times` runs, with the number of objects. */
async function build(dir: string, times = RUNS): Promise<{ m: Measurement; objects: number }> {
  const [command, ...args] = await kustomizeCommand();
  const m = await fastest(times, () => run(command!, [...args, dir]));
  return { m, objects: (m.stdout.match(/^kind: /gm) ?? []).length };
}

/** The Application `app` rendered as the repo server would, measured. */
async function renderApp(repo: string, app: Application, times = RUNS) {
  const source = await prepareApplication(repo, app);
  try {
    return await build(source.dir, times);
  } finally {
    await source.dispose();
  }
}

/** A server with the most objects (a StatefulSet with a token refresh in the synthetic fleet). */
function largestServer(repo: string): string {
  const servers = readdirSync(join(repo, 'base/servers'));
  return servers.reduce((best, s) => (readdirSync(join(repo, 'base/servers', s)).length > readdirSync(join(repo, 'base/servers', best)).length ? s : best));
}

function editRegistry(repo: string, edit: (registry: { servers: Array<Record<string, unknown>> }) => void): void {
  const path = join(repo, 'servers.json');
  const registry = JSON.parse(readFileSync(path, 'utf8'));
  edit(registry);
  writeFileSync(path, JSON.stringify(registry, null, 2));
}

/** The plan's own account of what it rendered: `dev: rendered 2 of 1,001 Applications (...)`. */
function scope(plan: Measurement): string {
  return [...plan.stdout.matchAll(/^(\w+): rendered ([\d,]+) of ([\d,]+) Applications/gm)].map((m) => `${m[1]} ${m[2]}/${m[3]}`).join(', ');
}

async function benchSize(servers: number): Promise<string[]> {
  const repo = fleetRepo(servers);
  try {
    const cold = await fastest(RUNS, () => generate(repo), async () => rmSync(join(repo, 'base'), { recursive: true, force: true }));
    const sample = join(repo, 'base/shared/gateway/gateway.yaml');
    const before = statSync(sample).mtimeMs;
    const warm = await fastest(RUNS, () => generate(repo));
    if (written(warm) !== 0 || statSync(sample).mtimeMs !== before) throw new Error('a generate run with nothing changed wrote files');
    const files = (JSON.parse(readFileSync(join(repo, 'base/.generated.json'), 'utf8')).files as string[]).length;
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fleet');

    // The largest renders: each environment's shared Application and its largest server Application.
    const appsets = await loadApplicationSets(repo);
    const renders: string[] = [];
    let applications = 0;
    const big = largestServer(repo);
    let largest: { label: string; m: Measurement; objects: number } | undefined;
    for (const env of await listEnvironments(repo)) {
      const apps = environmentApplications(repo, appsets, env);
      applications += apps.length;
      for (const app of apps.filter((a) => a.metadata.name === `mcp-${env}` || a.metadata.name === `mcp-${env}-${big}`)) {
        const r = await renderApp(repo, app);
        renders.push(`${app.metadata.name} ${r.objects} objects ${both(r.m)}`);
        if (!largest || r.m.ms > largest.m.ms) largest = { label: app.metadata.name.replace(big, '<server>'), ...r };
      }
    }

    // One server's image changes: generate writes its files only; the plan renders its Applications.
    const changeImage = async () => {
      git(repo, 'checkout', '-q', '--', '.');
      editRegistry(repo, (r) => (r.servers[1]!.image = `${r.servers[1]!.image}-b`));
    };
    const oneChanged = await fastest(RUNS, () => generate(repo), changeImage);
    const plan = () => run(process.execPath, [PLAN, 'main', '--repo', repo], repo);
    const planImage = await fastest(RUNS, plan);
    git(repo, 'checkout', '-q', '--', '.');

    // One server is added (the shared Application changes too: the UI catalog lists it).
    const addServer = async () => {
      git(repo, 'checkout', '-q', '--', '.');
      git(repo, 'clean', '-fdq');
      editRegistry(repo, (r) => r.servers.push({ ...r.servers[1], name: 'mcp-added', description: 'Added by the bench.' }));
      writeFileSync(join(repo, 'tool-locks/mcp-added.json'), syntheticToolLocks(2).get('mcp-s00001')!.replaceAll('mcp-s00001', 'mcp-added'));
    };
    const added = await fastest(RUNS, () => generate(repo), addServer);
    const planAdd = await fastest(RUNS, plan);

    const result = {
      servers,
      files,
      applications,
      generate: { cold: cold.ms, coldMb: cold.peakRssMb, warm: warm.ms, warmMb: warm.peakRssMb, oneChanged: oneChanged.ms, oneChangedWritten: written(oneChanged), added: added.ms, addedWritten: written(added) },
      renders,
      plan: { image: planImage.ms, imageMb: planImage.peakRssMb, imageScope: scope(planImage), add: planAdd.ms, addMb: planAdd.peakRssMb, addScope: scope(planAdd) },
    };
    console.error(JSON.stringify(result));
    return [
      `| ${count(servers)} | ${count(files)} | ${both(cold)} | ${both(warm)} | ${seconds(oneChanged.ms)} (${written(oneChanged)} files) | ${count(applications)} | ${largest!.label}: ${largest!.objects} objects, ${both(largest!.m)} | ${both(planImage)} (${scope(planImage)}) | ${both(planAdd)} (${scope(planAdd)}) |`,
    ];
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** A kustomization folder with `resources` and extra fields (YAML lines), for the alternatives. */
function kustomization(dir: string, resources: string[], extra = ''): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n${extra}`);
  return dir;
}

async function alternatives(servers: number): Promise<string[]> {
  const repo = fleetRepo(servers);
  const rows: string[] = [];
  const row = async (label: string, dir: string, times = 1) => {
    const r = await build(dir, times);
    rows.push(`| ${label} | ${count(r.objects)} | ${both(r.m)} |`);
    console.error(rows.at(-1));
  };
  try {
    await generate(repo);
    const units = ['shared', ...readdirSync(join(repo, 'base/servers')).sort().map((s) => `servers/${s}`)];
    const alt = join(repo, 'alternatives');
    const fleet = kustomization(join(alt, 'fleet'), units.map((u) => `../../base/${u}`));
    await row('the fleet in one build (the layout before: `kubectl kustomize base`)', fleet);
    const waves = '../../overlays/components/argocd-sync-waves';
    // The environment's tenant patch, with the regex name target of the layout before (policies split per 16 routes).
    const tenant = readFileSync(join(repo, 'base/environments/dev/shared/agentgatewaypolicy-azure-mcp-authn-policy.yaml'), 'utf8').replace(/^#.*\n/gm, '');
    const tenantPatch = `  - patch: |\n${tenant.replace(/^/gm, '      ').trimEnd()}\n    target: {group: agentgateway.dev, kind: AgentgatewayPolicy, name: "azure-mcp-authn-policy(-[0-9]+)?"}\n`;
    await row('the fleet with an environment (sync-wave component, a regex-target patch)', kustomization(join(alt, 'fleet-env'), units.map((u) => `../../base/${u}`), `components:\n  - ${waves}\npatches:\n${tenantPatch}`));
    const flat = join(alt, 'flat');
    mkdirSync(flat, { recursive: true });
    writeFileSync(join(flat, 'all.yaml'), (await build(fleet, 1)).m.stdout);
    const onFlat = (name: string, extra: string) => kustomization(join(alt, name), ['all.yaml'], extra);
    for (const [name, extra] of [
      ['the same objects from one file, nothing else', ''],
      ['+ `namespace:`', 'namespace: agentgateway-system\n'],
      ['+ `labels:` (one pair, no selectors)', 'labels:\n  - pairs: {team: mcp}\n'],
      ['+ one patch with a regex name target', `patches:\n  - patch: '[{"op":"add","path":"/metadata/annotations/x","value":"y"}]'\n    target: {kind: Deployment, name: "mcp-s.*"}\n`],
      ['+ the sync-wave component (8 kind-target patches)', `components:\n  - ${waves}\n`],
    ] as const) {
      const dir = onFlat(name.replace(/\W+/g, '-'), extra);
      cpSync(join(flat, 'all.yaml'), join(dir, 'all.yaml'));
      await row(name, dir);
    }
    const objects = (readFileSync(join(flat, 'all.yaml'), 'utf8').match(/^kind: /gm) ?? []).length;
    const configMaps = join(alt, 'configmaps');
    mkdirSync(configMaps, { recursive: true });
    writeFileSync(join(configMaps, 'all.yaml'), Array.from({ length: objects }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns\ndata:\n  a: b\n`).join(''));
    await row(`${count(objects)} ConfigMaps of one key, nothing else`, kustomization(configMaps, ['all.yaml']));
    for (const size of [250, 1000]) {
      const dir = join(alt, `configmaps-${size}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'all.yaml'), Array.from({ length: size }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns\ndata:\n  a: b\n`).join(''));
      await row(`${count(size)} ConfigMaps of one key`, kustomization(dir, ['all.yaml']), 3);
    }
    const shard = units.slice(1, 17);
    await row('a shard of 16 servers with the environment servers Component', kustomization(join(alt, 'shard'), shard.map((u) => `../../base/${u}`), 'components:\n  - ../../overlays/dev/servers\n'), 3);
    const appsets = await loadApplicationSets(repo);
    for (const app of environmentApplications(repo, appsets, 'dev').filter((a) => a.metadata.name === 'mcp-dev' || a.metadata.name === `mcp-dev-${largestServer(repo)}`)) {
      const r = await renderApp(repo, app);
      rows.push(`| Application ${app.metadata.name.replace(largestServer(repo), '<server>')} (the layout chosen) | ${r.objects} | ${both(r.m)} |`);
      console.error(rows.at(-1));
    }
    return rows;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const machine = `${process.platform}, Node ${process.versions.node}, ${(await kustomizeCommand()).join(' ')}`;
  if (args[0] === '--alternatives') {
    const servers = Number(args[1] ?? 300);
    console.log(`Alternatives at ${servers} servers (${machine}); time and peak RSS of one kustomize build (fastest of ${RUNS} for the small ones)\n`);
    console.log('| build | objects | time, peak RSS |\n|---|---:|---|');
    for (const row of await alternatives(servers)) console.log(row);
    return;
  }
  const sizes = args.map(Number).filter((n) => n > 0);
  console.log(`Fleet benchmark (${machine}); each cell: wall time (fastest of ${RUNS}), peak RSS of the process tree\n`);
  console.log('| servers | files | generate, cold | generate, no change | generate, one image changed | Applications | largest render | plan: one image changed (rendered) | plan: one server added (rendered) |');
  console.log('|---:|---:|---|---|---|---:|---|---|---|');
  for (const servers of sizes.length > 0 ? sizes : [100, 1000, 3000]) for (const row of await benchSize(servers)) console.log(row);
}

await main();
