/**
 * argocd/: the objects are valid Argo CD objects (schemas of @kubernetes-models/argo-cd through the
 * generator's validateObjects), agree with servers.json's control plane, take the repository URL from
 * one place, and the ApplicationSet's directory generator selects exactly the environment overlays.
 * Argo CD itself does not run here: the generator expansion is emulated (glob, excludes,
 * missingkey=error) following the ApplicationSet documentation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry } from '../../generators/src/index.ts';
import { listEnvironments } from '../plan/environments.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { build, find, get, readYaml, REPO_ROOT, schemaProblems } from './helpers.ts';

const PLACEHOLDER_REPO = 'https://github.com/example/mcp-gateway-gitops.git';

/** Directories under `dir` (relative to the repository), recursively, as the git generator sees them. */
function directoriesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = `${dir}/${entry.name}`;
    out.push(path, ...directoriesUnder(path));
  }
  return out;
}

/** Glob as the git directory generator applies it: `*` and `?` never cross a `/`. */
function globMatches(pattern: string, path: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${regex}$`).test(path);
}

/** Go-template substitution of `{{.a.b}}` with missingkey=error: an unknown key throws. */
function renderTemplate(value: unknown, params: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (_, key: string) => {
      const found = get(params, ...key.split('.'));
      if (typeof found !== 'string') throw new Error(`map has no entry for key "${key}"`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, params));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, params)]));
  }
  return value;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(join(REPO_ROOT, p)).isFile());
}

let apps: KubeObject[];
let bootstrap: KubeObject[];
const registry = parseRegistry(readFileSync(join(REPO_ROOT, 'servers.json'), 'utf8')).registry!;

beforeAll(async () => {
  [apps, bootstrap] = await Promise.all([build('argocd/apps'), build('argocd/bootstrap')]);
});

describe('argocd objects', () => {
  it('are valid Argo CD objects', () => {
    expect(apps.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'AppProject/mcp',
      'AppProject/mcp-control-plane',
      'Application/agentgateway',
      'Application/agentgateway-crds',
      'Application/gateway-api-crds',
      'ApplicationSet/mcp-environments',
    ]);
    expect(schemaProblems([...apps, ...bootstrap])).toEqual([]);
  });

  it('name the placeholder repository in one file only, and use it everywhere after the build', () => {
    const files = [...filesUnder('argocd'), ...filesUnder('overlays')].filter(
      (f) => f.endsWith('.yaml') && readFileSync(join(REPO_ROOT, f), 'utf8').includes(PLACEHOLDER_REPO),
    );
    expect(files).toEqual(['argocd/repository/repository.yaml']);
    const configured = get(readYaml('argocd/repository/repository.yaml')[0], 'data', 'repoURL');
    const root = find(bootstrap, 'Application', 'mcp-root');
    const appset = find(apps, 'ApplicationSet', 'mcp-environments');
    const ownRepoUrls = [
      get(root, 'spec', 'source', 'repoURL'),
      get(appset, 'spec', 'generators', 0, 'matrix', 'generators', 0, 'git', 'repoURL'),
      get(appset, 'spec', 'template', 'spec', 'source', 'repoURL'),
      get(find(apps, 'AppProject', 'mcp'), 'spec', 'sourceRepos', 0),
    ];
    expect(ownRepoUrls).toEqual(Array(4).fill(configured));
    expect(JSON.stringify([...apps, ...bootstrap])).not.toContain('set-by-argocd-repository-component');
  });

  it('root Application: the one object applied by hand, syncing argocd/apps with prune and self-heal', () => {
    expect(bootstrap).toHaveLength(1);
    const root = bootstrap[0]!;
    expect(get(root, 'spec', 'source', 'path')).toBe('argocd/apps');
    expect(get(root, 'spec', 'syncPolicy', 'automated')).toEqual({ prune: true, selfHeal: true });
  });
});

describe('control plane', () => {
  const cp = registry.controlPlane;

  it('Gateway API standard CRDs at servers.json controlPlane.gatewayApiVersion, server-side applied', () => {
    const app = find(apps, 'Application', 'gateway-api-crds');
    expect(get(app, 'spec', 'source')).toEqual({
      repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git',
      targetRevision: cp.gatewayApiVersion,
      path: 'config/crd/standard',
    });
    expect(get(app, 'spec', 'syncPolicy', 'syncOptions')).toContain('ServerSideApply=true');
    expect(get(app, 'spec', 'syncPolicy', 'automated', 'prune')).toBe(false);
  });

  it.each(['agentgateway-crds', 'agentgateway'])('chart %s at exactly controlPlane.agentgatewayVersion from its registry', (chart) => {
    const app = find(apps, 'Application', chart);
    expect(get(app, 'spec', 'source', 'chart')).toBe(chart);
    // Argo CD's Helm-over-OCI form: the registry path without the oci:// scheme.
    expect(`oci://${get(app, 'spec', 'source', 'repoURL')}`).toBe(cp.chartRepository);
    expect(get(app, 'spec', 'source', 'targetRevision')).toBe(cp.agentgatewayVersion);
    expect(cp.agentgatewayVersion).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(get(app, 'spec', 'destination', 'namespace')).toBe(cp.namespace);
  });

  it('leaves the GatewayClass to the controller', () => {
    expect(JSON.stringify(apps)).not.toMatch(/"kind":"GatewayClass"/);
  });

  it('uses sources and destinations its project allows', () => {
    const project = find(apps, 'AppProject', 'mcp-control-plane');
    for (const name of ['gateway-api-crds', 'agentgateway-crds', 'agentgateway']) {
      const app = find(apps, 'Application', name);
      expect(get(app, 'spec', 'project')).toBe('mcp-control-plane');
      expect(get(project, 'spec', 'sourceRepos')).toContain(get(app, 'spec', 'source', 'repoURL'));
      expect(get(project, 'spec', 'destinations')).toContainEqual(get(app, 'spec', 'destination'));
    }
  });
});

describe('sync waves', () => {
  const wave = (o: KubeObject) => get(o, 'metadata', 'annotations', 'argocd.argoproj.io/sync-wave');

  it('are quoted strings in the files', () => {
    const files = [...filesUnder('argocd'), ...filesUnder('overlays')].filter((f) => f.endsWith('.yaml'));
    const waves = files.flatMap((f) => readYaml(f).map((doc) => get(doc, 'metadata', 'annotations', 'argocd.argoproj.io/sync-wave')));
    const present = waves.filter((w) => w !== undefined);
    expect(present.length).toBeGreaterThan(5);
    for (const w of present) expect(typeof w).toBe('string');
  });

  it('order projects, Gateway API CRDs, agentgateway CRDs, the controller, then the environments', () => {
    const order = ['mcp-control-plane', 'gateway-api-crds', 'agentgateway-crds', 'agentgateway', 'mcp-environments'];
    const waves = order.map((name) => Number(wave(apps.find((o) => o.metadata?.name === name)!)));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(new Set(waves).size).toBe(waves.length);
    expect(Number(wave(find(apps, 'AppProject', 'mcp')))).toBeLessThan(waves[1]!);
  });
});

describe('ApplicationSet mcp-environments', () => {
  const appset = () => find(apps, 'ApplicationSet', 'mcp-environments');

  it('uses Go templates with missingkey=error', () => {
    expect(get(appset(), 'spec', 'goTemplate')).toBe(true);
    expect(get(appset(), 'spec', 'goTemplateOptions')).toEqual(['missingkey=error']);
  });

  it('its directory generator selects every overlay and no component', async () => {
    const directories = get(appset(), 'spec', 'generators', 0, 'matrix', 'generators', 0, 'git', 'directories') as Array<{ path: string; exclude?: boolean }>;
    const includes = directories.filter((d) => !d.exclude).map((d) => d.path);
    const excludes = directories.filter((d) => d.exclude).map((d) => d.path);
    const selected = directoriesUnder('overlays')
      .filter((dir) => includes.some((p) => globMatches(p, dir)) && !excludes.some((p) => globMatches(p, dir)))
      .map((dir) => relative('overlays', dir))
      .sort();
    const environments = await listEnvironments(REPO_ROOT);
    expect(environments).toEqual(expect.arrayContaining(['dev', 'prod']));
    expect(selected).toEqual(environments);
    expect(selected).not.toContain('components');
  });

  it('renders one valid Application per environment, for the cluster labelled with it', async () => {
    const spec = get(appset(), 'spec') as Record<string, unknown>;
    const clusterSelector = get(spec, 'generators', 0, 'matrix', 'generators', 1, 'clusters', 'selector');
    const generated: KubeObject[] = [];
    for (const env of await listEnvironments(REPO_ROOT)) {
      const gitParams = { path: { path: `overlays/${env}`, basename: env } };
      expect(renderTemplate(clusterSelector, gitParams)).toEqual({ matchLabels: { 'mcp.gitops/environment': env } });
      const params = { ...gitParams, name: 'in-cluster', server: 'https://kubernetes.default.svc' };
      const app = renderTemplate(spec.template, params) as Pick<KubeObject, 'metadata'> & Record<string, unknown>;
      generated.push({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app, metadata: { ...app.metadata, namespace: 'argocd' } });
    }
    expect(generated.map((a) => a.metadata?.name)).toEqual((await listEnvironments(REPO_ROOT)).map((e) => `mcp-${e}`));
    expect(schemaProblems(generated)).toEqual([]);
    const project = find(apps, 'AppProject', 'mcp');
    for (const app of generated) {
      expect(get(app, 'spec', 'project')).toBe('mcp');
      expect(get(project, 'spec', 'destinations')).toContainEqual(get(app, 'spec', 'destination'));
      expect(get(app, 'spec', 'syncPolicy', 'automated')).toEqual({ prune: true, selfHeal: true });
      expect(get(app, 'spec', 'syncPolicy', 'retry', 'backoff')).toMatchObject({ factor: 2 });
      expect(get(app, 'spec', 'syncPolicy', 'syncOptions')).toContain('CreateNamespace=true');
    }
  });

  it('an unknown template key fails like missingkey=error', () => {
    expect(() => renderTemplate('{{.path.nope}}', { path: { basename: 'dev' } })).toThrow(/path.nope/);
  });
});

describe('AppProject mcp', () => {
  it('allows every kind the overlays render, in agentgateway-system only, and never Secrets', async () => {
    const project = find(apps, 'AppProject', 'mcp');
    const allowed = (list: unknown) => new Set((list as Array<{ group: string; kind: string }>).map((k) => `${k.group}/${k.kind}`));
    const namespaced = allowed(get(project, 'spec', 'namespaceResourceWhitelist'));
    const clusterScoped = allowed(get(project, 'spec', 'clusterResourceWhitelist'));
    expect([...clusterScoped]).toEqual(['/Namespace']);
    for (const env of await listEnvironments(REPO_ROOT)) {
      for (const object of await build(`overlays/${env}`)) {
        const group = object.apiVersion?.includes('/') ? object.apiVersion.split('/')[0] : '';
        const key = `${group}/${object.kind}`;
        const where = `${env}: ${object.kind}/${object.metadata?.name}`;
        if (object.kind === 'Namespace') {
          expect(object.metadata?.name, where).toBe('agentgateway-system');
          continue;
        }
        expect(namespaced.has(key), `${where} (${key}) is not allowed by AppProject mcp`).toBe(true);
        expect(object.metadata?.namespace, where).toBe('agentgateway-system');
      }
    }
    expect(namespaced.has('/Secret')).toBe(false);
  });
});
