/**
 * No MCP route is ever live without the JWT policy covering it, whatever order Argo CD syncs the Applications in.
 * Argo CD does not run here, so this is a model of what it does to the cluster, after its source (v3.5): a sync
 * applies by wave and prunes in reverse wave order among the objects it prunes, or after everything with
 * PruneLast (gitops-engine pkg/sync/sync_context.go); deleting an Application deletes its objects wave by wave from
 * the highest (controller/sort_delete.go). The model is driven by the real renders of the dev environment before
 * and after a change (scripts/applications), and the actions of concurrent syncs are interleaved in the two extreme
 * orders and many random ones. A route is live when it and its parent Gateway exist; covered when a JWT policy that
 * exists names it or selects its labels. The layout before this one (one Application, the policy listing routes)
 * fails the same check when a server is removed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry, renderFiles } from '../../generators/src/index.ts';
import { lockEveryServer } from '../../generators/test/helpers.ts';
import { renderEnvironment } from '../applications/environments.ts';
import type { KubeObject } from '../plan/diff-objects.ts';
import { get, REPO_ROOT } from './helpers.ts';

type Any = Record<string, any>;
const WAVE = 'argocd.argoproj.io/sync-wave';
const key = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const wave = (o: KubeObject) => Number(get(o, 'metadata', 'annotations', WAVE) ?? 0);

/** The cluster: live objects and the Application that tracks each. */
interface Cluster {
  live: Map<string, KubeObject>;
  owner: Map<string, string>;
}

type Action = { app: string; do: 'apply'; object: KubeObject } | { app: string; do: 'delete'; key: string };

/** The actions of one sync of `app` to `desired`: applies by wave, prunes in reverse wave order (or last). */
function syncActions(cluster: Cluster, app: string, desired: KubeObject[], pruneLast: boolean): Action[] {
  const wanted = new Set(desired.map(key));
  const prunes = [...cluster.owner].filter(([k, a]) => a === app && !wanted.has(k)).map(([k]) => cluster.live.get(k)!);
  const pruneWaves = [...new Set(prunes.map(wave))].sort((a, b) => a - b);
  const maxWave = Math.max(0, ...desired.map(wave), ...prunes.map(wave));
  const pruneWave = (o: KubeObject) => (pruneLast ? maxWave + 1 : pruneWaves[pruneWaves.length - 1 - pruneWaves.indexOf(wave(o))]!);
  const tasks = [
    ...desired.map((object) => ({ wave: wave(object), action: { app, do: 'apply', object } as Action })),
    ...prunes.map((object) => ({ wave: pruneWave(object), action: { app, do: 'delete', key: key(object) } as Action })),
  ];
  return tasks.sort((a, b) => a.wave - b.wave).map((t) => t.action);
}

/** The actions of deleting `app` with its resources finalizer: the highest wave first, wave by wave. */
function deleteActions(cluster: Cluster, app: string): Action[] {
  const owned = [...cluster.owner].filter(([, a]) => a === app).map(([k]) => cluster.live.get(k)!);
  return owned.sort((a, b) => wave(b) - wave(a)).map((o) => ({ app, do: 'delete', key: key(o) }) as Action);
}

function act(cluster: Cluster, action: Action): void {
  if (action.do === 'apply') {
    cluster.live.set(key(action.object), action.object);
    cluster.owner.set(key(action.object), action.app);
  } else {
    cluster.live.delete(action.key);
    cluster.owner.delete(action.key);
  }
}

/** MCP routes that are live (their Gateway exists) and that no existing JWT policy covers. */
function uncoveredLiveRoutes(cluster: Cluster): string[] {
  const objects = [...cluster.live.values()] as Any[];
  const gateways = new Set(objects.filter((o) => o.kind === 'Gateway').map((o) => o.metadata.name));
  const policies = objects.filter((o) => o.kind === 'AgentgatewayPolicy' && o.spec?.traffic?.jwtAuthentication);
  const covers = (policy: Any, route: Any) =>
    (policy.spec.targetRefs ?? []).some((t: Any) => t.kind === 'HTTPRoute' && t.name === route.metadata.name) ||
    (policy.spec.targetSelectors ?? []).some((t: Any) => t.kind === 'HTTPRoute' && Object.entries(t.matchLabels ?? {}).every(([k, v]) => route.metadata.labels?.[k] === v));
  return objects
    .filter((o) => o.kind === 'HTTPRoute' && (o.spec?.rules ?? []).some((r: Any) => (r.backendRefs ?? []).some((b: Any) => b.kind === 'AgentgatewayBackend')))
    .filter((route) => (route.spec.parentRefs ?? []).some((p: Any) => gateways.has(p.name)))
    .filter((route) => !policies.some((policy) => covers(policy, route)))
    .map((route) => route.metadata.name);
}

/** A deterministic random source, so a failure names an interleaving that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * Runs the sequences interleaved (each keeps its own order) in the two extreme orders and `samples` random
 * ones, from a copy of `start`; returns the first moment a live route was uncovered, if any.
 */
function explore(start: Cluster, sequences: (cluster: Cluster) => Action[][], samples = 300): string | undefined {
  const orders: Array<(remaining: number[]) => number> = [
    (remaining) => remaining.findIndex((n) => n > 0),
    (remaining) => remaining.length - 1 - [...remaining].reverse().findIndex((n) => n > 0),
  ];
  for (let s = 0; s < samples; s++) {
    const next = random(s + 1);
    orders.push((remaining) => {
      const open = remaining.flatMap((n, i) => (n > 0 ? [i] : []));
      return open[Math.floor(next() * open.length)]!;
    });
  }
  for (const [index, pick] of orders.entries()) {
    const cluster: Cluster = { live: new Map(start.live), owner: new Map(start.owner) };
    const queues = sequences(cluster).map((q) => [...q]);
    const remaining = queues.map((q) => q.length);
    while (remaining.some((n) => n > 0)) {
      const i = pick(remaining);
      const action = queues[i]!.shift()!;
      remaining[i]!--;
      act(cluster, action);
      const uncovered = uncoveredLiveRoutes(cluster);
      if (uncovered.length > 0) return `order ${index}: after ${action.do} ${action.do === 'apply' ? key(action.object) : action.key} by ${action.app}, ${uncovered.join(', ')} live without a JWT policy`;
    }
  }
  return undefined;
}

type Environment = Map<string, KubeObject[]>;

/** A cluster where each Application of `env` has synced. */
function synced(env: Environment): Cluster {
  const cluster: Cluster = { live: new Map(), owner: new Map() };
  for (const [app, objects] of env) for (const o of objects) act(cluster, { app, do: 'apply', object: o });
  return cluster;
}

/** The layout before this one, modelled: one Application holding everything, the policy listing the routes, the Gateway in wave 1. */
function layoutBefore(env: Environment): Environment {
  const objects = [...env.values()].flat().map((o) => structuredClone(o) as Any);
  const routes = objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.labels?.['app.kubernetes.io/component'] === 'mcp-server').map((o) => o.metadata.name);
  for (const o of objects) {
    if (o.kind === 'AgentgatewayPolicy') {
      delete o.spec.targetSelectors;
      o.spec.targetRefs = routes.map((name: string) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name }));
    }
    if (o.kind === 'Gateway') o.metadata.annotations = { ...o.metadata.annotations, [WAVE]: '1' };
  }
  return new Map([['mcp-dev', objects as KubeObject[]]]);
}

let tree: string;
let before: Environment;
let after: Environment;

/** The dev environment's Applications and their renders, for a registry of the repository with `servers`. */
async function environmentWith(dir: string, edit: (registry: Any) => void): Promise<Environment> {
  const registryJson = JSON.parse(readFileSync(join(REPO_ROOT, 'servers.json'), 'utf8'));
  edit(registryJson);
  rmSync(join(dir, 'base'), { recursive: true, force: true });
  const text = JSON.stringify(registryJson);
  for (const file of renderFiles(parseRegistry(text, lockEveryServer(text)).registry!)) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  return new Map((await renderEnvironment(dir, 'dev')).map((r) => [r.application.metadata.name, r.objects]));
}

beforeAll(async () => {
  tree = mkdtempSync(join(tmpdir(), 'sync-order-'));
  for (const dir of ['overlays', 'argocd']) cpSync(join(REPO_ROOT, dir), join(tree, dir), { recursive: true });
  before = await environmentWith(tree, () => undefined);
  after = await environmentWith(tree, (r) => r.servers.push({ ...r.servers[0], name: 'mcp-weather', description: 'Weather.' }));
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('no MCP route without its JWT policy, in any sync order', () => {
  it('on a new cluster, every Application syncing at once', () => {
    expect(after.size).toBeGreaterThan(3);
    const empty: Cluster = { live: new Map(), owner: new Map() };
    expect(explore(empty, (c) => [...after].map(([app, objects]) => syncActions(c, app, objects, true)))).toBeUndefined();
  });

  it('when a server is added: the shared Application and the new one in any interleaving', () => {
    const added = [...after.keys()].filter((app) => !before.has(app));
    expect(added).toEqual(['mcp-dev-mcp-weather']);
    expect(explore(synced(before), (c) => [syncActions(c, 'mcp-dev', after.get('mcp-dev')!, true), ...added.map((app) => syncActions(c, app, after.get(app)!, true))])).toBeUndefined();
  });

  it("when a server is removed: its Application's deletion and the shared Application's sync in any interleaving", () => {
    expect(explore(synced(after), (c) => [syncActions(c, 'mcp-dev', before.get('mcp-dev')!, true), deleteActions(c, 'mcp-dev-mcp-weather')])).toBeUndefined();
  });

  it('when the environment is deleted: all its Applications at once', () => {
    expect(explore(synced(after), (c) => [...after.keys()].map((app) => deleteActions(c, app)))).toBeUndefined();
  });

  it('fails for the layout before this one: removing a server leaves its route live and uncovered until the prune (PruneLast)', () => {
    const old = { before: layoutBefore(before), after: layoutBefore(after) };
    const gap = explore(synced(old.after), (c) => [syncActions(c, 'mcp-dev', old.before.get('mcp-dev')!, true)], 0);
    expect(gap).toMatch(/apply AgentgatewayPolicy\/agentgateway-system\/azure-mcp-authn-policy by mcp-dev, mcp-weather live without a JWT policy/);
    // Without PruneLast the reversed prune waves happen to save it: the route (wave 2) is pruned in wave 0's turn.
    expect(explore(synced(old.after), (c) => [syncActions(c, 'mcp-dev', old.before.get('mcp-dev')!, false)], 0)).toBeUndefined();
  });
});
