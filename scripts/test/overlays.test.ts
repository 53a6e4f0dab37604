/**
 * Every environment renders as Argo CD renders it: each of its Applications (the shared one from overlays/<env>/,
 * one per server from base/servers/<server>/ with the environment's servers Component added) is built with the
 * real `kubectl kustomize`; the union passes the schema and cross-object checks, and each hand-written patch
 * shows up in the output.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistrySync } from '../../generators/src/index.ts';
import { environmentRegistry } from '../../generators/src/registry/environments.ts';
import { listEnvironments, type RenderedApplication } from '../applications/environments.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { build, containerEnv, crossProblems, find, get, readYaml, renderRepoEnvironment, REPO_ROOT, schemaProblems } from './helpers.ts';

const SHARED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'components', 'images', 'labels', 'replicas']);
// A Component added to every server's Application: no resources (they would be in every Application), and no
// `replicas:` (kustomize fails where the named workload is absent).
const SERVERS_FIELDS = new Set(['apiVersion', 'kind', 'patches', 'components', 'images', 'labels']);
const WAVE = 'argocd.argoproj.io/sync-wave';

const rendered = new Map<string, RenderedApplication[]>();
const baseUnits = new Map<string, KubeObject[]>();
let environments: string[];

beforeAll(async () => {
  environments = await listEnvironments(REPO_ROOT);
  for (const env of environments) rendered.set(env, await renderRepoEnvironment(env));
  const units = ['shared', ...readdirSync(join(REPO_ROOT, 'base/servers')).map((s) => `servers/${s}`)];
  for (const unit of units) baseUnits.set(unit, await build(`base/${unit}`));
});

const env = (name: string) => rendered.get(name)!.flatMap((r) => r.objects);
const base = () => [...baseUnits.values()].flat();
const keys = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();

/** The kustomization folders of overlays/: each environment, its servers/, and every component. */
function kustomizationDirs(): string[] {
  const components = (dir: string): string[] =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((entry) => statSync(join(REPO_ROOT, dir, entry)).isDirectory())
      .map((entry) => `${dir}/${entry}`);
  return [...environments.flatMap((e) => [`overlays/${e}`, `overlays/${e}/servers`]), ...components('overlays/components')];
}

/** The components a kustomization includes, transitively, as repository paths. */
function includedComponents(dir: string): string[] {
  const kustomization = readYaml(`${dir}/kustomization.yaml`)[0] as { components?: string[] };
  return (kustomization.components ?? []).flatMap((c) => {
    const path = join(dir, c);
    return [path, ...includedComponents(path)];
  });
}

/** The folders whose kustomization ends up in server Applications: each servers/ and what it includes. */
const serverSide = () => new Set(environments.flatMap((e) => [`overlays/${e}/servers`, ...includedComponents(`overlays/${e}/servers`)]));

describe('every environment', () => {
  it('exists for dev and prod, each with a servers Component', () => {
    expect(environments).toEqual(expect.arrayContaining(['dev', 'prod']));
    for (const name of environments) expect(readYaml(`overlays/${name}/servers/kustomization.yaml`)[0], name).toMatchObject({ kind: 'Component' });
  });

  it('passes the schema and cross-object checks, its Applications taken together', () => {
    for (const name of environments) {
      expect(schemaProblems(env(name)), name).toEqual([]);
      expect(crossProblems(env(name)), name).toEqual([]);
    }
  });

  it('renders in each server Application exactly the objects of its base unit, and in the shared one the shared objects', () => {
    for (const name of environments) {
      for (const { application, objects } of rendered.get(name)!) {
        const unit = application.spec.source.path.startsWith('base/') ? application.spec.source.path.slice('base/'.length) : 'shared';
        const expected = keys(baseUnits.get(unit)!);
        // No environment adds an object: high availability patches the one set of proxy parameters.
        expect(keys(objects).filter((k) => !expected.includes(k)), application.metadata.name).toEqual([]);
        expect(expected.filter((k) => !keys(objects).includes(k)), application.metadata.name).toEqual([]);
      }
    }
  });

  it('uses only current Kustomize fields, every patch file it ships, and targets on every servers patch', () => {
    for (const dir of kustomizationDirs()) {
      const kustomization = readYaml(`${dir}/kustomization.yaml`)[0] as Record<string, unknown>;
      const allowed = serverSide().has(dir) ? SERVERS_FIELDS : SHARED_FIELDS;
      expect(Object.keys(kustomization).filter((k) => !allowed.has(k)), dir).toEqual([]);
      const patches = (kustomization.patches as Array<{ path?: string; target?: unknown }> | undefined) ?? [];
      if (dir.endsWith('/servers')) for (const p of patches) expect(p.target, `${dir}: patch ${p.path} needs a target`).toBeDefined();
      const used = new Set([...patches.map((p) => p.path), ...((kustomization.resources as string[] | undefined) ?? [])]);
      const files = readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
      expect(files.filter((f) => !used.has(f)), `${dir}: unused files`).toEqual([]);
    }
  });

  it('adds no resource to a server Application, through any component its servers Component includes', () => {
    for (const name of environments) {
      for (const dir of [`overlays/${name}/servers`, ...includedComponents(`overlays/${name}/servers`)]) {
        expect((readYaml(`${dir}/kustomization.yaml`)[0] as { resources?: unknown }).resources, dir).toBeUndefined();
      }
    }
  });

  it('orders each sync: what the Gateway and routes refer to in wave 1, the Gateway, workloads and routes in wave 2', () => {
    for (const name of environments) {
      for (const object of env(name)) {
        const wave = get(object, 'metadata', 'annotations', WAVE);
        const kind = object.kind!;
        if (['AgentgatewayPolicy', 'AgentgatewayBackend', 'AgentgatewayParameters', 'Certificate'].includes(kind)) expect(wave, `${name} ${kind}`).toBe('1');
        else if (['Gateway', 'Deployment', 'StatefulSet', 'CronJob', 'HTTPRoute'].includes(kind)) expect(wave, `${name} ${kind}`).toBe('2');
        else expect(wave, `${name} ${kind}`).toBeUndefined();
      }
    }
  });

  it('keeps every MCP route under the JWT policy whatever order Argo CD syncs in (docs/fleet-layout.md)', () => {
    for (const name of environments) {
      const shared = rendered.get(name)!.find((r) => r.application.metadata.name === `mcp-${name}`)!.objects;
      // The policy comes with the Gateway, one wave before it: no Gateway (so no live route) without the policy.
      const policy = find(shared, 'AgentgatewayPolicy', 'azure-mcp-authn-policy');
      const gateway = find(shared, 'Gateway', 'agentgateway-proxy');
      expect(Number(get(policy, 'metadata', 'annotations', WAVE)), name).toBeLessThan(Number(get(gateway, 'metadata', 'annotations', WAVE)));
      // It selects routes by label, not by a list another Application would have to update.
      expect(get(policy, 'spec', 'targetRefs'), name).toBeUndefined();
      const selector = get(policy, 'spec', 'targetSelectors', 0, 'matchLabels') as Record<string, string>;
      for (const { application, objects } of rendered.get(name)!.filter((r) => r.application.metadata.name !== `mcp-${name}`)) {
        // A server's Application holds its route, carrying the label, and never a Gateway, the namespace or a JWT
        // policy of its own (a policy of another kind, such as authorization, merges with the shared JWT policy).
        const routes = objects.filter((o) => o.kind === 'HTTPRoute');
        expect(routes.length, application.metadata.name).toBeGreaterThan(0);
        for (const route of routes) for (const [k, v] of Object.entries(selector)) expect(get(route, 'metadata', 'labels', k), `${application.metadata.name} ${k}`).toBe(v);
        const jwtPolicy = (o: KubeObject) => o.kind === 'AgentgatewayPolicy' && get(o, 'spec', 'traffic', 'jwtAuthentication') !== undefined;
        expect(objects.filter((o) => o.kind === 'Gateway' || o.kind === 'Namespace' || jwtPolicy(o)), application.metadata.name).toEqual([]);
      }
    }
  });

  it('signs the UI in against the tenant and API the gateway trusts', () => {
    for (const name of environments) {
      const policy = find(env(name), 'AgentgatewayPolicy', 'azure-mcp-authn-policy');
      const provider = get(policy, 'spec', 'traffic', 'jwtAuthentication', 'providers', 0) as { issuer: string; audiences: string[]; jwks: { remote: { jwksPath: string } } };
      const ui = find(env(name), 'Deployment', 'mcp-ui');
      expect(containerEnv(ui, 'ui', 'OIDC_ISSUER'), name).toBe(provider.issuer);
      const tenant = provider.issuer.split('/')[3];
      expect(provider.jwks.remote.jwksPath, name).toBe(`/${tenant}/discovery/v2.0/keys`);
      const apiScope = containerEnv(ui, 'ui', 'OIDC_SCOPES')!.split(' ').find((s) => s.startsWith('api://'))!;
      expect(provider.audiences, name).toContain(apiScope.slice(0, apiScope.lastIndexOf('/')));
    }
  });

  it("lets MCP clients sign in with the environment's own public client and ask for the API scope it checks", () => {
    for (const name of environments) {
      const ui = find(env(name), 'Deployment', 'mcp-ui');
      const uiScope = containerEnv(ui, 'ui', 'OIDC_SCOPES')!.split(' ').find((s) => s.startsWith('api://'))!;
      const policies = env(name).filter((o) => o.kind === 'AgentgatewayPolicy');
      for (const policy of policies.filter((p) => get(p, 'spec', 'traffic', 'jwtAuthentication'))) {
        const mcp = (get(policy, 'spec', 'traffic') as any).jwtAuthentication.mcp;
        expect(mcp.provider, name).toBe('Entra');
        expect(mcp.clientId, name).not.toBe(containerEnv(ui, 'ui', 'OIDC_CLIENT_ID'));
        expect(mcp.clientId, `${name} patches the public client of its tenant`).not.toBe(get(find(base(), 'AgentgatewayPolicy', 'azure-mcp-authn-policy'), 'spec', 'traffic', 'jwtAuthentication', 'mcp', 'clientId'));
        expect(mcp.resourceMetadata.scopesSupported, name).toEqual([uiScope]);
      }
      // The challenge is the first direct response of every route's access policy.
      const routes = env(name).filter((o) => o.kind === 'HTTPRoute' && get(o, 'metadata', 'labels', 'app.kubernetes.io/component') === 'mcp-server');
      const withChallenge = policies.filter((p) => get(p, 'spec', 'traffic', 'directResponse'));
      expect(withChallenge.map((p) => (get(p, 'spec', 'targetRefs') as any)[0].name).sort(), name).toEqual(routes.map((r) => r.metadata?.name).sort());
      for (const policy of withChallenge) {
        const challenge = (get(policy, 'spec', 'traffic') as any).directResponse.conditional[0].policy.headers.find((h: { name: string }) => h.name === 'www-authenticate').value;
        expect(challenge, `${name} ${policy.metadata?.name}`).toContain(`scope="${uiScope}"`);
      }
    }
  });

  it('gives each environment its own tenant', () => {
    const issuers = environments.map((name) => get(find(env(name), 'AgentgatewayPolicy', 'azure-mcp-authn-policy'), 'spec', 'traffic', 'jwtAuthentication', 'providers', 0, 'issuer'));
    expect(new Set(issuers).size).toBe(environments.length);
    expect(issuers).not.toContain(get(find(base(), 'AgentgatewayPolicy', 'azure-mcp-authn-policy'), 'spec', 'traffic', 'jwtAuthentication', 'providers', 0, 'issuer'));
  });
});

describe('environment values come from servers.json', () => {
  const registry = loadRegistrySync(join(REPO_ROOT, 'servers.json')).registry!;

  it('each overlay is an environment of the registry and includes its generated Components, and each environment has an overlay', () => {
    expect(environments).toEqual(Object.keys(registry.environments).sort());
    for (const name of environments) {
      expect(includedComponents(`overlays/${name}`), name).toContain(`base/environments/${name}/shared`);
      expect(includedComponents(`overlays/${name}/servers`), name).toContain(`base/environments/${name}/servers`);
    }
  });

  it('no hand-written file under overlays/ carries a tenant, client id, scope or host name', () => {
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const files = (dir: string): string[] => readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    for (const file of files('overlays').filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      expect(text, file).not.toMatch(guid);
      expect(text, file).not.toMatch(/api:\/\/|login\.microsoftonline\.com|https:\/\/mcp\./);
    }
  });

  it("renders each environment's tenant, registrations and hosts as its registry says", () => {
    for (const name of environments) {
      const expected = environmentRegistry(registry, name);
      const policy = find(env(name), 'AgentgatewayPolicy', 'azure-mcp-authn-policy');
      expect(get(policy, 'spec', 'traffic', 'jwtAuthentication', 'providers', 0, 'issuer'), name).toBe(`https://login.microsoftonline.com/${expected.auth.tenantId}/v2.0`);
      expect(get(policy, 'spec', 'traffic', 'jwtAuthentication', 'providers', 0, 'audiences'), name).toEqual(expected.auth.audiences);
      expect(get(policy, 'spec', 'traffic', 'jwtAuthentication', 'mcp', 'clientId'), name).toBe(expected.auth.mcpClientId);
      const ui = find(env(name), 'Deployment', 'mcp-ui');
      expect(containerEnv(ui, 'ui', 'PUBLIC_URL'), name).toBe(expected.ui.publicUrl);
      expect(containerEnv(ui, 'ui', 'OIDC_CLIENT_ID'), name).toBe(expected.ui.clientId);
      expect(get(find(env(name), 'Certificate', 'agentgateway-proxy-tls'), 'spec', 'dnsNames'), name).toEqual(expected.edge.hosts);
    }
  });
});

describe('the edge', () => {
  it('serves HTTPS with the certificate cert-manager writes for the hosts the UI is on, and plain HTTP only to redirect', () => {
    for (const name of environments) {
      const objects = env(name);
      const gateway = find(objects, 'Gateway', 'agentgateway-proxy');
      const listeners = get(gateway, 'spec', 'listeners') as Array<{ name: string; port: number; protocol: string; tls?: { certificateRefs: Array<{ name: string }> } }>;
      expect(listeners.map((l) => [l.name, l.protocol, l.port]), name).toEqual([['http', 'HTTP', 8080], ['https', 'HTTPS', 443], ['public-http', 'HTTP', 80]]);
      const certificate = find(objects, 'Certificate', 'agentgateway-proxy-tls');
      expect(listeners[1]!.tls!.certificateRefs[0]!.name, name).toBe(get(certificate, 'spec', 'secretName'));
      const publicUrl = new URL(containerEnv(find(objects, 'Deployment', 'mcp-ui'), 'ui', 'PUBLIC_URL')!);
      expect(publicUrl.protocol, name).toBe('https:');
      expect(get(certificate, 'spec', 'dnsNames'), name).toContain(publicUrl.hostname);
      // Only the redirect attaches to port 80; everything that serves attaches to 8080 (in the cluster) and 443.
      for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
        const sections = (get(route, 'spec', 'parentRefs') as Array<{ sectionName: string }>).map((p) => p.sectionName);
        if (route.metadata?.name === 'https-redirect') {
          expect(sections, name).toEqual(['public-http']);
          expect(get(route, 'spec', 'hostnames'), name).toEqual(get(certificate, 'spec', 'dnsNames'));
          expect(get(route, 'spec', 'rules', 0, 'filters'), name).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }]);
        } else expect(sections, `${name} ${route.metadata?.name}`).toEqual(['http', 'https']);
      }
    }
  });

  it('keeps the proxy private: a ClusterIP Service in dev, an internal load balancer in prod, port 8080 and the metrics for pods of the cluster only', () => {
    const service = (name: string) => get(find(env(name), 'AgentgatewayParameters', 'agentgateway-proxy'), 'spec', 'service');
    expect(service('dev')).toEqual({ spec: { type: 'ClusterIP' } });
    expect(service('prod')).toEqual({ metadata: { annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } }, spec: { type: 'LoadBalancer' } });
    for (const name of environments) {
      const policy = find(env(name), 'NetworkPolicy', 'agentgateway-proxy');
      expect(get(policy, 'spec', 'podSelector'), name).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'agentgateway-proxy' } });
      expect(get(policy, 'spec', 'ingress'), name).toEqual([
        { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }] },
        { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 15020 }] },
      ]);
    }
  });
});

describe('dev', () => {
  it('runs one replica of each server and the UI', () => {
    for (const [kind, name] of [['Deployment', 'mcp-ui'], ['Deployment', 'mcp-example'], ['Deployment', 'mcp-mssql'], ['StatefulSet', 'mcp-hubspot']]) {
      expect(get(find(env('dev'), kind!, name!), 'spec', 'replicas'), name).toBe(1);
    }
  });

  it('trusts the dev tenant and its API registration', () => {
    const provider = get(find(env('dev'), 'AgentgatewayPolicy', 'azure-mcp-authn-policy'), 'spec', 'traffic', 'jwtAuthentication', 'providers', 0);
    expect(provider).toMatchObject({
      issuer: 'https://login.microsoftonline.com/dddddddd-dddd-dddd-dddd-dddddddddddd/v2.0',
      audiences: ['dddddddd-0000-0000-0000-000000000001', 'api://dddddddd-0000-0000-0000-000000000001'],
    });
  });

  it('serves the UI at the dev host, runs the release candidate, reads the dev database', () => {
    const ui = find(env('dev'), 'Deployment', 'mcp-ui');
    expect(containerEnv(ui, 'ui', 'PUBLIC_URL')).toBe('https://mcp.dev.example.com');
    expect(containerEnv(ui, 'ui', 'OIDC_CLIENT_ID')).toBe('dddddddd-0000-0000-0000-000000000002');
    expect(get(find(env('dev'), 'Deployment', 'mcp-example'), 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('ghcr.io/example/mcp-gateway/mcp-example:0.2.0-rc.1');
    const mssql = find(env('dev'), 'Deployment', 'mcp-mssql');
    expect(containerEnv(mssql, 'server', 'MSSQL_SERVER')).toBe('sql-dev.example.internal');
    expect(containerEnv(mssql, 'server', 'MSSQL_DATABASE')).toBe('analytics_dev');
  });

  it('does not opt into high availability: the proxy keeps the base parameters (JSON logs, no replica count)', () => {
    expect(env('dev').filter((o) => o.kind === 'AgentgatewayParameters').map((o) => o.metadata?.name)).toEqual(['agentgateway-proxy']);
    const parameters = find(env('dev'), 'AgentgatewayParameters', 'agentgateway-proxy');
    expect(get(parameters, 'spec')).toEqual(get(find(base(), 'AgentgatewayParameters', 'agentgateway-proxy'), 'spec'));
    expect(get(parameters, 'spec', 'deployment', 'spec', 'replicas')).toBeUndefined();
    expect(get(find(env('dev'), 'Gateway', 'agentgateway-proxy'), 'spec', 'infrastructure', 'parametersRef', 'name')).toBe('agentgateway-proxy');
  });
});

describe('prod', () => {
  it('runs three replicas of the UI and the stateless servers, each with a disruption budget', () => {
    for (const name of ['mcp-ui', 'mcp-example', 'mcp-mssql']) {
      const workload = find(env('prod'), 'Deployment', name);
      expect(get(workload, 'spec', 'replicas'), name).toBe(3);
      const selector = get(workload, 'spec', 'selector', 'matchLabels');
      const pdb = env('prod').find((o) => o.kind === 'PodDisruptionBudget' && JSON.stringify(get(o, 'spec', 'selector', 'matchLabels')) === JSON.stringify(selector));
      expect(pdb, `PodDisruptionBudget for ${name}`).toBeDefined();
    }
    expect(get(find(env('prod'), 'StatefulSet', 'mcp-hubspot'), 'spec', 'replicas')).toBe(1);
  });

  it('trusts the production tenant and its API registration', () => {
    const provider = get(find(env('prod'), 'AgentgatewayPolicy', 'azure-mcp-authn-policy'), 'spec', 'traffic', 'jwtAuthentication', 'providers', 0);
    expect(provider).toMatchObject({
      issuer: 'https://login.microsoftonline.com/eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee/v2.0',
      audiences: ['eeeeeeee-0000-0000-0000-000000000001', 'api://eeeeeeee-0000-0000-0000-000000000001'],
      jwks: { remote: { jwksPath: '/eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee/discovery/v2.0/keys' } },
    });
  });

  it('keeps the public URL and images of servers.json and sizes mcp-mssql up', () => {
    const baseUi = find(base(), 'Deployment', 'mcp-ui');
    const ui = find(env('prod'), 'Deployment', 'mcp-ui');
    expect(containerEnv(ui, 'ui', 'PUBLIC_URL')).toBe(containerEnv(baseUi, 'ui', 'PUBLIC_URL'));
    const images = (objects: KubeObject[]) => objects.flatMap((o) => (get(o, 'spec', 'template', 'spec', 'containers') as Array<{ image: string }> | undefined)?.map((c) => c.image) ?? []);
    expect(images(env('prod')).sort()).toEqual(images(base()).sort());
    expect(get(find(env('prod'), 'Deployment', 'mcp-mssql'), 'spec', 'template', 'spec', 'containers', 0, 'resources')).toEqual({
      requests: { cpu: '200m', memory: '384Mi' },
      limits: { cpu: '1', memory: '768Mi' },
    });
  });

  it('high availability: the one set of proxy parameters gains two replicas and a budget, keeping logs, Service and seccomp; every workload spreads', () => {
    const gateway = find(env('prod'), 'Gateway', 'agentgateway-proxy');
    const ref = get(gateway, 'spec', 'infrastructure', 'parametersRef') as { name: string };
    expect(ref.name).toBe('agentgateway-proxy');
    expect(env('prod').filter((o) => o.kind === 'AgentgatewayParameters')).toHaveLength(1);
    const parameters = find(env('prod'), 'AgentgatewayParameters', ref.name);
    expect(get(parameters, 'spec', 'deployment', 'spec', 'replicas')).toBe(2);
    expect(get(parameters, 'spec', 'podDisruptionBudget', 'spec', 'maxUnavailable')).toBe(1);
    expect(get(parameters, 'spec', 'logging')).toEqual({ format: 'json' });
    expect(get(parameters, 'spec', 'deployment', 'spec', 'template', 'spec', 'securityContext')).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(get(parameters, 'spec', 'service', 'spec', 'type')).toBe('LoadBalancer');
    for (const workload of env('prod').filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
      const keys = (get(workload, 'spec', 'template', 'spec', 'topologySpreadConstraints') as Array<{ topologyKey: string }>).map((c) => c.topologyKey);
      expect(keys, workload.metadata?.name).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      // The spread must count only the workload's own pods.
      expect(get(workload, 'spec', 'template', 'metadata', 'labels', 'app.kubernetes.io/name')).toBe(workload.metadata?.name);
    }
  });
});

describe('the Component without-prometheus-operator', () => {
  it('drops every PodMonitor and PrometheusRule from both parts of an environment, and nothing else', async () => {
    const dir = await mkdtemp(join(REPO_ROOT, '.without-operator-'));
    try {
      const component = join(REPO_ROOT, 'overlays/components/without-prometheus-operator');
      for (const unit of baseUnits.keys()) {
        const folder = join(dir, unit.replace('/', '-'));
        await mkdir(folder);
        await writeFile(join(folder, 'kustomization.yaml'), `resources: [${relative(folder, join(REPO_ROOT, 'base', unit))}]\ncomponents: [${relative(folder, component)}]\n`);
        const without = (await build(folder.slice(REPO_ROOT.length + 1))).map((o) => `${o.kind}/${o.metadata?.name}`).sort();
        const all = keys(baseUnits.get(unit)!);
        expect(all.some((key) => /^(PodMonitor|PrometheusRule)\//.test(key)), unit).toBe(true);
        expect(without, unit).toEqual(all.filter((key) => !/^(PodMonitor|PrometheusRule)\//.test(key)));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
