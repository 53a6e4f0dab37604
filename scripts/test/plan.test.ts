/**
 * `npm run plan` end to end, on a temporary git repository made from this one's servers.json, overlays/ and
 * argocd/: base/ is generated with the real generator, a server is added to servers.json on a branch and
 * regenerated, and the plan CLI (real git, real kubectl kustomize, the ApplicationSets expanded as Argo CD
 * does) is run against main. Only the Applications a change touches are rendered.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../plan/format.ts';
import { planAgainstRef } from '../plan/plan.ts';
import { lockLike } from '../../generators/test/helpers.ts';
import { REPO_ROOT } from './helpers.ts';

const run = promisify(execFile);
const PLAN_CLI = join(REPO_ROOT, 'scripts/plan/cli.ts');
const GENERATOR_CLI = join(REPO_ROOT, 'generators/src/cli.ts');
const NS = 'agentgateway-system';

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function generate(): Promise<void> {
  await run(process.execPath, [GENERATOR_CLI, '--root', repo]);
}

/** Runs the plan CLI in the temporary repository; never throws, returns the exit code and output. */
async function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PLAN_CLI, ...args, '--repo', repo], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** servers.json with one more server, a copy of mcp-example named mcp-weather. */
function withWeatherServer(text: string): string {
  const registry = JSON.parse(text) as { servers: Array<Record<string, unknown>> };
  const example = registry.servers.find((s) => s.name === 'mcp-example')!;
  registry.servers.push({
    ...example,
    name: 'mcp-weather',
    description: 'Weather forecasts.',
    image: 'ghcr.io/example/mcp-gateway/mcp-weather:0.1.0',
  });
  return `${JSON.stringify(registry, null, 2)}\n`;
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'plan-repo-'));
  cpSync(join(REPO_ROOT, 'servers.json'), join(repo, 'servers.json'));
  cpSync(join(REPO_ROOT, 'tool-locks'), join(repo, 'tool-locks'), { recursive: true });
  cpSync(join(REPO_ROOT, 'overlays'), join(repo, 'overlays'), { recursive: true });
  cpSync(join(REPO_ROOT, 'argocd'), join(repo, 'argocd'), { recursive: true });
  await generate();
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'initial');
  git('checkout', '-q', '-b', 'add-weather');
  writeFileSync(join(repo, 'servers.json'), withWeatherServer(readFileSync(join(repo, 'servers.json'), 'utf8')));
  writeFileSync(join(repo, 'tool-locks/mcp-weather.json'), lockLike('mcp-weather'));
  await generate();
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'add mcp-weather');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('npm run plan', () => {
  it('shows the objects a new server adds and the ones it changes, per environment, rendering only those Applications', async () => {
    const { code, stdout, stderr } = await plan('main');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain('warning:');
    for (const env of ['dev', 'prod']) {
      const summary = new RegExp(`^${env}: (\\d+) added, (\\d+) changed, 0 removed$`, 'm').exec(stdout);
      expect(summary, stdout).not.toBeNull();
      expect(Number(summary![1])).toBeGreaterThanOrEqual(4);
      // The shared Application (the UI catalog changes) and the new server's; the other three are not rendered.
      expect(stdout).toContain(`${env}: rendered 2 of 5 Applications (mcp-${env}, mcp-${env}-mcp-weather); 3 skipped, their inputs did not change`);
      expect(stdout).toContain(`+ added Application/argocd/mcp-${env}-mcp-weather`);
    }
    for (const key of [
      `Deployment/${NS}/mcp-weather`,
      `Service/${NS}/mcp-weather-service`,
      `AgentgatewayBackend/${NS}/mcp-weather-backend`,
    ]) {
      expect(stdout).toContain(`+ added ${key}`);
    }
    expect(stdout).toMatch(/\+ added HTTPRoute\/agentgateway-system\/\S*weather/);
    // The JWT policy selects the new route by label: it does not change; the server brings its own access policies.
    expect(stdout).not.toContain('AgentgatewayPolicy/agentgateway-system/azure-mcp-authn-policy');
    expect(stdout).toContain(`+ added AgentgatewayPolicy/${NS}/mcp-weather-access`);
    expect(stdout).toMatch(/^\s+\+\s+app.kubernetes.io\/component: mcp-server$/m);
    expect(stdout).toContain(`~ changed ConfigMap/${NS}/mcp-ui-catalog`);
    // Who may use it comes first, in its own section, read from the rendered policies.
    const access = stdout.indexOf('Access changes');
    expect(access, stdout).toBeGreaterThan(0);
    expect(access).toBeLessThan(stdout.indexOf('+ added '));
    expect(stdout).toContain('  dev:\n    + mcp-weather: every signed-in person: the whole server\n  prod:\n    + mcp-weather: every signed-in person: the whole server\n');
    // What the new server offers, in its own section, between the access section and the objects; all read-only.
    const section = stdout.slice(stdout.indexOf('Tool changes ('), stdout.indexOf('== dev =='));
    expect(stdout.indexOf('Tool changes (')).toBeGreaterThan(access);
    expect(section).toContain('  dev:\n    + mcp-weather: add (added)\n    + mcp-weather: current_time (added)\n');
    expect(section).not.toContain('warning:');
    // Overlay patches apply to the new server too: dev's sync wave on its Deployment.
    const devSection = stdout.slice(stdout.indexOf('== dev =='), stdout.indexOf('== prod =='));
    expect(devSection).toContain('argocd.argoproj.io/sync-wave: "2"');
  });

  it('renders only the environment whose servers component changed, and there only the Applications that read it', async () => {
    const patch = join(repo, 'overlays/prod/servers/three-replicas.yaml');
    const original = readFileSync(patch, 'utf8');
    writeFileSync(patch, original.replace('value: 3', 'value: 4'));
    try {
      const plans = await planAgainstRef(repo, 'add-weather');
      const dev = plans.find((p) => p.environment === 'dev')!;
      expect(dev.rendered).toEqual([]);
      expect(dev.skipped).toBe(5);
      const prod = plans.find((p) => p.environment === 'prod')!;
      // overlays/prod/ is the shared Application's source: it is rendered too, and shows no change.
      expect(prod.rendered).toEqual(['mcp-prod', 'mcp-prod-mcp-example', 'mcp-prod-mcp-hubspot', 'mcp-prod-mcp-mssql', 'mcp-prod-mcp-weather']);
      expect(prod.changed.map((c) => c.key)).toEqual([`Deployment/${NS}/mcp-example`, `Deployment/${NS}/mcp-mssql`]);
    } finally {
      writeFileSync(patch, original);
    }
  });

  it('writes Markdown for the pull-request comment, and warns when base/ is stale', async () => {
    const registryPath = join(repo, 'servers.json');
    const committed = readFileSync(registryPath, 'utf8');
    writeFileSync(registryPath, committed.replace('Weather forecasts.', 'Weather forecasts and alerts.'));
    try {
      const output = join(repo, 'plan.md');
      const { code, stdout } = await plan('main', '--format', 'markdown', '--output', output);
      expect(code).toBe(0);
      expect(stdout).toBe('');
      const md = readFileSync(output, 'utf8');
      expect(md.startsWith(COMMENT_MARKER)).toBe(true);
      expect(md).toContain('## Manifest plan against `main`');
      expect(md).toMatch(/> \*\*Warning:\*\* base\/ may not match servers\.json/);
      expect(md).toMatch(/^- dev: \d+ added, \d+ changed, 0 removed$/m);
      expect(md).toContain('<sub>dev: rendered 2 of 5 Applications (mcp-dev, mcp-dev-mcp-weather); 3 skipped, their inputs did not change</sub>');
      expect(md).toContain(`<details><summary>added <code>Deployment/${NS}/mcp-weather</code></summary>`);
      expect(md).toContain(`<details><summary>changed <code>ConfigMap/${NS}/mcp-ui-catalog</code></summary>`);
      expect(md).toMatch(/```diff\n--- a\/ConfigMap/);
    } finally {
      writeFileSync(registryPath, committed);
    }
  });

  it('fails clearly on a ref that does not exist', async () => {
    const { code, stderr } = await plan('no-such-branch');
    expect(code).toBe(1);
    expect(stderr).toContain('"no-such-branch" does not name a commit');
  });

  it('rejects bad arguments with the usage', async () => {
    const { code, stderr } = await plan('main', '--format', 'html');
    expect(code).toBe(2);
    expect(stderr).toContain('--format must be text or markdown');
    expect(stderr).toContain('usage: npm run plan');
  });
});

describe('planAgainstRef', () => {
  it('reports removals, and an environment that exists on one side only', async () => {
    git('checkout', '-q', 'main');
    rmSync(join(repo, 'overlays/prod'), { recursive: true });
    try {
      const plans = await planAgainstRef(repo, 'add-weather');
      const dev = plans.find((p) => p.environment === 'dev')!;
      expect(dev.added).toEqual([]);
      expect(dev.removed.map((o) => o.key)).toEqual(expect.arrayContaining([`Deployment/${NS}/mcp-weather`, 'Application/argocd/mcp-dev-mcp-weather']));
      expect(dev.changed.map((o) => o.key)).toContain(`ConfigMap/${NS}/mcp-ui-catalog`);
      const prod = plans.find((p) => p.environment === 'prod')!;
      expect(prod.error).toBeUndefined();
      expect(prod.added.length + prod.changed.length).toBe(0);
      expect(prod.removed.length).toBeGreaterThan(30);
      expect(prod.removed.map((o) => o.key)).toContain('Application/argocd/mcp-prod');
    } finally {
      git('checkout', '-q', '--', 'overlays/prod');
      git('checkout', '-q', 'add-weather');
    }
  });

  it('renders every Application against a ref whose Applications declare no inputs (as before this layout)', async () => {
    git('checkout', '-q', '-b', 'no-generate-paths', 'main');
    const appset = join(repo, 'argocd/apps/servers-appset.yaml');
    writeFileSync(appset, readFileSync(appset, 'utf8').replace(/^\s+argocd\.argoproj\.io\/manifest-generate-paths: .*$/m, ''));
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-am', 'no manifest-generate-paths');
    git('checkout', '-q', 'add-weather');
    const plans = await planAgainstRef(repo, 'no-generate-paths');
    for (const plan of plans) {
      expect(plan.error, plan.environment).toBeUndefined();
      // The server Applications changed (their annotation), so all are rendered; the ref side needed all of base/.
      expect(plan.skipped, plan.environment).toBe(0);
      expect(plan.added.map((o) => o.key)).toContain(`Deployment/${NS}/mcp-weather`);
      expect(plan.changed.map((o) => o.key)).toContain(`Application/argocd/mcp-${plan.environment}-mcp-example`);
    }
  });

  it('reports an environment that does not build instead of failing the whole plan', async () => {
    const kustomization = join(repo, 'overlays/dev/kustomization.yaml');
    const original = readFileSync(kustomization, 'utf8');
    writeFileSync(kustomization, `${original}patches:\n  - path: missing-patch.yaml\n`);
    try {
      const plans = await planAgainstRef(repo, 'main');
      expect(plans.find((p) => p.environment === 'dev')!.error).toMatch(/missing-patch\.yaml/);
      expect(plans.find((p) => p.environment === 'prod')!.error).toBeUndefined();
    } finally {
      writeFileSync(kustomization, original);
    }
  });
});
