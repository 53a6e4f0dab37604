/**
 * argocd/: the objects are valid Argo CD objects (schemas of @kubernetes-models/argo-cd through the generator's
 * validateObjects), agree with servers.json's control plane and take the repository URL from one place. The
 * ApplicationSets are expanded as the ApplicationSet controller would (scripts/applications/, following Argo CD
 * v3.5's source): one shared Application per environment, one per server and environment, each valid, each
 * rendering with the real kubectl kustomize, each declaring in manifest-generate-paths every file its render
 * reads, and each server's ignoreDifferences taken from the registry.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistrySync, renderFiles, RESTARTED_AT_POINTER } from '../../generators/src/index.ts';
import { fixtureRegistry } from '../../generators/test/helpers.ts';
import { expandApplicationSet, pathMatch, RESOURCES_FINALIZER, type Application } from '../applications/applicationsets.ts';
import { environmentApplications, environmentCluster, listEnvironments, loadApplicationSets } from '../applications/environments.ts';
import { renderString } from '../applications/go-template.ts';
import { refreshPaths, touches } from '../applications/refresh-paths.ts';
import { renderApplication } from '../applications/repo-server.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { build, find, get, readYaml, REPO_ROOT, schemaProblems } from './helpers.ts';

const PLACEHOLDER_REPO = 'https://github.com/example/mcp-gateway-gitops.git';

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(join(REPO_ROOT, p)).isFile());
}

let apps: KubeObject[];
let bootstrap: KubeObject[];
let environments: string[];
let applications: Application[];
const registry = loadRegistrySync(join(REPO_ROOT, 'servers.json')).registry!;

beforeAll(async () => {
  [apps, bootstrap, environments] = await Promise.all([build('argocd/apps'), build('argocd/bootstrap'), listEnvironments(REPO_ROOT)]);
  const appsets = await loadApplicationSets(REPO_ROOT);
  applications = environments.flatMap((env) => environmentApplications(REPO_ROOT, appsets, env));
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
      'ApplicationSet/mcp-servers',
    ]);
    expect(schemaProblems([...apps, ...bootstrap])).toEqual([]);
  });

  it('name the placeholder repository in one file only, and use it everywhere after the build', () => {
    const files = [...filesUnder('argocd'), ...filesUnder('overlays')].filter(
      (f) => f.endsWith('.yaml') && readFileSync(join(REPO_ROOT, f), 'utf8').includes(PLACEHOLDER_REPO),
    );
    expect(files).toEqual(['argocd/repository/repository.yaml']);
    const configured = get(readYaml('argocd/repository/repository.yaml')[0], 'data', 'repoURL');
    const revision = get(readYaml('argocd/repository/repository.yaml')[0], 'data', 'targetRevision');
    const root = find(bootstrap, 'Application', 'mcp-root');
    const gits = (o: unknown): Array<{ repoURL: string; revision: string }> =>
      o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => (k === 'git' ? [v as { repoURL: string; revision: string }] : gits(v))) : [];
    for (const name of ['mcp-environments', 'mcp-servers']) {
      const appset = find(apps, 'ApplicationSet', name);
      expect(gits(get(appset, 'spec', 'generators')).map((g) => [g.repoURL, g.revision]), name).toEqual(expect.arrayContaining([[configured, revision]]));
      for (const g of gits(get(appset, 'spec', 'generators'))) expect([g.repoURL, g.revision], name).toEqual([configured, revision]);
      expect(get(appset, 'spec', 'template', 'spec', 'source', 'repoURL'), name).toBe(configured);
    }
    expect(get(root, 'spec', 'source', 'repoURL')).toBe(configured);
    expect(get(find(apps, 'AppProject', 'mcp'), 'spec', 'sourceRepos', 0)).toBe(configured);
    expect(JSON.stringify([...apps, ...bootstrap])).not.toContain('set-by-argocd-repository-component');
  });

  it('root Application: the one object applied by hand, syncing argocd/apps with prune and self-heal', () => {
    expect(bootstrap).toHaveLength(1);
    const root = bootstrap[0]!;
    expect(get(root, 'spec', 'source', 'path')).toBe('argocd/apps');
    expect(get(root, 'spec', 'syncPolicy', 'automated')).toEqual({ prune: true, selfHeal: true });
  });

  it('know nothing of the registry: no hand-written file under argocd/ names a server', () => {
    for (const file of filesUnder('argocd')) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      for (const server of registry.servers) expect(text, `${file} names ${server.name}`).not.toContain(server.name);
    }
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

  it('order projects, Gateway API CRDs, agentgateway CRDs, the controller, then the environments and servers', () => {
    const order = ['mcp-control-plane', 'gateway-api-crds', 'agentgateway-crds', 'agentgateway', 'mcp-environments'];
    const waves = order.map((name) => Number(wave(apps.find((o) => o.metadata?.name === name)!)));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(new Set(waves).size).toBe(waves.length);
    expect(Number(wave(find(apps, 'AppProject', 'mcp')))).toBeLessThan(waves[1]!);
    expect(wave(find(apps, 'ApplicationSet', 'mcp-servers'))).toBe(wave(find(apps, 'ApplicationSet', 'mcp-environments')));
  });
});

describe('the Applications the ApplicationSets make', () => {
  const names = () => applications.map((a) => a.metadata.name);
  const servers = () => readdirSync(join(REPO_ROOT, 'base/servers')).sort();

  it('use Go templates with missingkey=error', () => {
    for (const name of ['mcp-environments', 'mcp-servers']) {
      expect(get(find(apps, 'ApplicationSet', name), 'spec', 'goTemplate'), name).toBe(true);
      expect(get(find(apps, 'ApplicationSet', name), 'spec', 'goTemplateOptions'), name).toEqual(['missingkey=error']);
    }
  });

  it('are one shared Application per environment and one per server and environment, for that environment only', () => {
    expect(environments).toEqual(expect.arrayContaining(['dev', 'prod']));
    expect(environments).not.toContain('components');
    const expected = environments.flatMap((env) => [`mcp-${env}`, ...servers().map((s) => `mcp-${env}-${s}`)]).sort();
    expect([...names()].sort()).toEqual(expected);
    expect(new Set(names()).size).toBe(names().length);
    // A cluster labelled for no environment gets nothing; one labelled for dev gets only dev's.
    const appsets = apps.filter((o) => o.kind === 'ApplicationSet');
    expect(appsets.flatMap((a) => expandApplicationSet(a, REPO_ROOT, [{ ...environmentCluster('dev'), labels: {} }]))).toEqual([]);
    for (const app of appsets.flatMap((a) => expandApplicationSet(a, REPO_ROOT, [environmentCluster('dev')]))) expect(app.metadata.labels?.['mcp.gitops/environment']).toBe('dev');
  });

  it('are valid Argo CD Applications in project mcp, with the deletion finalizer, automated sync and retries', () => {
    expect(schemaProblems(applications)).toEqual([]);
    const project = find(apps, 'AppProject', 'mcp');
    for (const app of applications) {
      const where = app.metadata.name;
      expect(app.spec.project, where).toBe('mcp');
      expect(get(project, 'spec', 'destinations'), where).toContainEqual(app.spec.destination);
      expect(app.metadata.finalizers, where).toEqual([RESOURCES_FINALIZER]);
      expect(get(app, 'spec', 'syncPolicy', 'automated'), where).toEqual({ prune: true, selfHeal: true });
      expect(get(app, 'spec', 'syncPolicy', 'retry', 'backoff'), where).toMatchObject({ factor: 2 });
    }
  });

  it('send each server its own folder with the environment servers Component, never creating the namespace', () => {
    for (const app of applications.filter((a) => a.metadata.labels?.['mcp.gitops/unit'] === 'server')) {
      const env = app.metadata.labels!['mcp.gitops/environment']!;
      const server = app.metadata.labels!['mcp.gitops/server']!;
      expect(app.spec.source.path).toBe(`base/servers/${server}`);
      const [component] = app.spec.source.kustomize!.components!;
      expect(posix.normalize(posix.join(app.spec.source.path, component!))).toBe(`overlays/${env}/servers`);
      // The namespace, with its Pod Security labels, comes from the shared Application only.
      expect(get(app, 'spec', 'syncPolicy', 'syncOptions')).not.toContain('CreateNamespace=true');
    }
    for (const env of environments) expect(find(applications, 'Application', `mcp-${env}`).spec.source.path).toBe(`overlays/${env}`);
  });

  it('declare in manifest-generate-paths every file their render reads', () => {
    for (const app of applications) {
      const reads = renderInputs(app);
      expect(reads.length, app.metadata.name).toBeGreaterThan(2);
      for (const file of reads) expect(touches(app, [file]), `${app.metadata.name} reads ${file}`).toBe(true);
    }
    // And nothing of another environment or another server.
    const example = find(applications, 'Application', 'mcp-dev-mcp-example');
    expect(refreshPaths(example)).toEqual(['base/servers/mcp-example', 'overlays/dev/servers', 'base/environments/dev/servers', 'overlays/components']);
    expect(touches(example, ['base/servers/mcp-hubspot/route.yaml', 'overlays/prod/servers/kustomization.yaml', 'base/shared/ui/catalog.yaml', 'base/environments/dev/shared/kustomization.yaml', 'base/environments/prod/servers/kustomization.yaml'])).toBe(false);
    const shared = find(applications, 'Application', 'mcp-dev');
    expect(refreshPaths(shared)).toEqual(['overlays/dev', 'base/shared', 'base/environments/dev/shared', 'overlays/components']);
    expect(touches(shared, ['base/environments/dev/servers/kustomization.yaml', 'base/environments/prod/shared/kustomization.yaml', 'base/servers/mcp-example/route.yaml'])).toBe(false);
  });

  it('render with the real kustomize, each server Application holding that server only', async () => {
    for (const app of applications.filter((a) => a.metadata.name.endsWith('-mcp-example'))) {
      const objects = await renderApplication(REPO_ROOT, app);
      expect(new Set(objects.map((o) => o.metadata?.labels?.['app.kubernetes.io/name'])), app.metadata.name).toEqual(new Set(['mcp-example']));
    }
  });

  it('AppProject mcp allows every kind they render, in agentgateway-system only, and never Secrets', async () => {
    const project = find(apps, 'AppProject', 'mcp');
    const allowed = (list: unknown) => new Set((list as Array<{ group: string; kind: string }>).map((k) => `${k.group}/${k.kind}`));
    const namespaced = allowed(get(project, 'spec', 'namespaceResourceWhitelist'));
    const clusterScoped = allowed(get(project, 'spec', 'clusterResourceWhitelist'));
    expect([...clusterScoped]).toEqual(['/Namespace']);
    for (const app of applications) {
      for (const object of await renderApplication(REPO_ROOT, app)) {
        const group = object.apiVersion?.includes('/') ? object.apiVersion.split('/')[0] : '';
        const key = `${group}/${object.kind}`;
        const where = `${app.metadata.name}: ${object.kind}/${object.metadata?.name}`;
        if (object.kind === 'Namespace') {
          expect(object.metadata?.name, where).toBe('agentgateway-system');
          expect(app.metadata.labels?.['mcp.gitops/unit'], where).toBe('shared');
          continue;
        }
        expect(namespaced.has(key), `${where} (${key}) is not allowed by AppProject mcp`).toBe(true);
        expect(object.metadata?.namespace, where).toBe('agentgateway-system');
      }
    }
    expect(namespaced.has('/Secret')).toBe(false);
  });
});

describe('ignoreDifferences of a server whose token refresher restarts it', () => {
  let tree: string;

  beforeAll(() => {
    // The generator's fixture registry: mcp-full's refresher has restart: true, mcp-minimal has no refresher.
    tree = mkdtempSync(join(tmpdir(), 'argocd-restart-'));
    const fixture = fixtureRegistry();
    for (const file of renderFiles(fixture)) {
      mkdirSync(dirname(join(tree, file.path)), { recursive: true });
      writeFileSync(join(tree, file.path), file.content);
    }
    cpSync(join(REPO_ROOT, 'argocd'), join(tree, 'argocd'), { recursive: true });
    cpSync(join(REPO_ROOT, 'overlays'), join(tree, 'overlays'), { recursive: true });
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('come from the registry: exactly the restarted workload, only the restart annotation', async () => {
    const fixtureApps = environmentApplications(tree, await loadApplicationSets(tree), 'dev');
    expect(schemaProblems(fixtureApps)).toEqual([]);
    expect(find(fixtureApps, 'Application', 'mcp-dev-mcp-full').spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'StatefulSet', name: 'mcp-full', jsonPointers: [RESTARTED_AT_POINTER] },
    ]);
    expect(find(fixtureApps, 'Application', 'mcp-dev-mcp-minimal').spec.ignoreDifferences ?? []).toEqual([]);
    expect(get(find(fixtureApps, 'Application', 'mcp-dev-mcp-full'), 'spec', 'syncPolicy', 'syncOptions')).toContain('RespectIgnoreDifferences=true');
  });

  it('are absent for this repository, whose refresher does not restart mcp-hubspot', () => {
    for (const app of applications) expect(app.spec.ignoreDifferences ?? [], app.metadata.name).toEqual([]);
    expect(registry.servers.filter((s) => s.tokenRefresh?.restart)).toEqual([]);
  });
});

describe('the ApplicationSet emulation', () => {
  it('fails like missingkey=error on an unknown key, and refuses template actions it does not know', () => {
    expect(() => renderString('{{.path.nope}}', { path: { basename: 'dev' } })).toThrow('map has no entry for key "path.nope"');
    expect(() => renderString('{{ .path.basename | upper }}', { path: { basename: 'dev' } })).toThrow('is not emulated');
    expect(renderString('a {{- .x -}} b {{ toJson .l }}', { x: 'X', l: [{ k: 1 }] })).toBe('aXb [{"k":1}]');
  });

  it('matches globs as Go path.Match does: * never crosses a /', () => {
    expect(pathMatch('overlays/*', 'overlays/dev')).toBe(true);
    expect(pathMatch('overlays/*', 'overlays/dev/servers')).toBe(false);
    expect(pathMatch('base/servers/*/argocd-params.yaml', 'base/servers/a/argocd-params.yaml')).toBe(true);
  });
});

/**
 * The repository files a render reads: every file a kustomization lists (resources, patches) and every
 * kustomization it includes (resources that are folders, components), from the Application's folder, plus the
 * components Argo CD adds.
 */
function renderInputs(app: Application): string[] {
  const out = new Set<string>();
  const visit = (dir: string, extra: string[] = []) => {
    const file = `${dir}/kustomization.yaml`;
    out.add(file);
    const k = readYaml(file)[0] as { resources?: string[]; components?: string[]; patches?: Array<{ path?: string }> };
    for (const entry of [...(k.resources ?? []), ...(k.components ?? []), ...extra]) {
      const path = posix.normalize(posix.join(dir, entry));
      if (statSync(join(REPO_ROOT, path)).isDirectory()) visit(path);
      else out.add(path);
    }
    for (const p of k.patches ?? []) if (p.path) out.add(posix.normalize(posix.join(dir, p.path)));
  };
  visit(app.spec.source.path, app.spec.source.kustomize?.components ?? []);
  return [...out].sort();
}
