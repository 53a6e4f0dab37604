/**
 * The registry's defaults that depend on other fields (the edge's hosts from the UI's URL, the route limits), and
 * each environment's registry: `environments.<name>` merged over the top level, which is what that environment
 * deploys. The checks that tie auth, UI and edge together run on the top level and on every environment.
 */
import type { LocatedProblem } from './json-position.ts';
import type { Edge, EnvironmentOverride, Limits, LimitsOverride, RateLimit, Registry } from './types.ts';

/** The overlay folder that holds Components, never an environment (the ApplicationSets exclude it). */
export const RESERVED_ENVIRONMENT = 'components';

/**
 * 200 requests a second with a burst of 200, per route and proxy replica, shared by every caller of the route (an MCP
 * tool call is 1 to 3 requests): a team's normal use never meets it, a runaway loop does. Each server's in-flight
 * bound (`inflight`) still caps the work it runs at once.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 200, unit: 'Seconds', burst: 200 };

const at = (segments: (string | number)[], message: string): LocatedProblem => ({ segments, where: '', message });

const hostOf = (url: string): string => new URL(url).hostname;

/** Edge defaults: the hosts from `ui.publicUrl`, an out-of-band Secret `<gateway>-tls`, a ClusterIP Service. */
function edgeWithDefaults(edge: Partial<Edge> | undefined, publicUrl: string, gatewayName: string): Edge {
  return {
    hosts: edge?.hosts ?? [hostOf(publicUrl)],
    tls: edge?.tls ?? { secretName: `${gatewayName}-tls` },
    service: { ...edge?.service, type: edge?.service?.type ?? 'ClusterIP' },
  };
}

/** Limits over limits, field by field (the rate limit's fields too). */
export function mergeLimits(base: Limits, over: LimitsOverride | undefined): Limits {
  const merged: Limits = { rateLimit: { ...base.rateLimit, ...over?.rateLimit } };
  const maxRequestBytes = over?.maxRequestBytes ?? base.maxRequestBytes;
  return maxRequestBytes === undefined ? merged : { ...merged, maxRequestBytes };
}

/** Fills the registry-level defaults in place, after the schema's own. */
export function applyRegistryDefaults(registry: Registry): void {
  const written = registry as Omit<Registry, 'edge' | 'limits'> & { edge?: Partial<Edge>; limits?: LimitsOverride };
  registry.edge = edgeWithDefaults(written.edge, registry.ui.publicUrl, registry.gateway.name);
  registry.limits = mergeLimits({ rateLimit: DEFAULT_RATE_LIMIT }, written.limits);
  registry.environments ??= {};
}

/**
 * The registry an environment deploys: its `auth`, `ui` and `edge` fields over the top level's. Lists and the TLS
 * source are replaced, not merged; an environment that moves the UI to another URL without naming hosts serves
 * that URL's host.
 */
export function environmentRegistry(registry: Registry, name: string): Registry {
  const override: EnvironmentOverride | undefined = registry.environments[name];
  if (!override) throw new Error(`no environment "${name}" in servers.json (environments: ${Object.keys(registry.environments).join(', ') || 'none'})`);
  const ui = { ...registry.ui, ...override.ui };
  const hosts = override.edge?.hosts ?? (override.ui?.publicUrl ? [hostOf(ui.publicUrl)] : registry.edge.hosts);
  const edge: Edge = {
    hosts,
    tls: override.edge?.tls ?? registry.edge.tls,
    service: override.edge?.service ? { ...override.edge.service, type: override.edge.service.type ?? 'ClusterIP' } : registry.edge.service,
  };
  return { ...registry, auth: { ...registry.auth, ...override.auth }, ui, edge };
}

/** The environments' names, sorted. */
export const environmentNames = (registry: Registry): string[] => Object.keys(registry.environments).sort();

/** The edge fits together: the UI's URL is served, an internal load balancer names its cloud. */
export function checkEdge(registry: Registry, prefix: (string | number)[] = []): LocatedProblem[] {
  const { edge, ui } = registry;
  const problems: LocatedProblem[] = [];
  const host = hostOf(ui.publicUrl);
  const served = edge.hosts.some((h) => h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes('.')));
  if (!served) problems.push(at([...prefix, 'edge', 'hosts'], `the UI's public URL ${ui.publicUrl} is on ${host}, which is not one of edge.hosts (${edge.hosts.join(', ')}): add it, or the HTTPS listener would not serve the sign-in`));
  const sources = ['certManager', 'secretName'].filter((k) => (edge.tls as Record<string, unknown>)[k] !== undefined);
  if (sources.length !== 1) problems.push(at([...prefix, 'edge', 'tls'], `set exactly one of certManager (a cert-manager Certificate from an issuer) or secretName (an existing kubernetes.io/tls Secret); found ${sources.length === 0 ? 'neither' : 'both'}`));
  const { type, cloud } = edge.service;
  if (type === 'InternalLoadBalancer' && cloud === undefined) problems.push(at([...prefix, 'edge', 'service', 'cloud'], 'an InternalLoadBalancer needs "cloud" (azure, aws or gcp): the annotation that keeps the load balancer off the internet differs per cloud'));
  if (type !== 'InternalLoadBalancer' && cloud !== undefined) problems.push(at([...prefix, 'edge', 'service', 'cloud'], `"cloud" is for "type": "InternalLoadBalancer" (found "${type}"); remove it or set the type`));
  return problems;
}

/**
 * Every environment's own registry passes the checks of `check` (auth and edge), its problems pointing at the
 * environment's fields where it sets them; `components` is refused as a name.
 */
export function checkEnvironments(registry: Registry, check: (registry: Registry) => LocatedProblem[]): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  for (const name of environmentNames(registry)) {
    const where = ['environments', name];
    if (name === RESERVED_ENVIRONMENT) {
      problems.push(at(where, `"${RESERVED_ENVIRONMENT}" is the overlays' folder of shared Components and cannot be an environment`));
      continue;
    }
    const override = registry.environments[name]!;
    for (const problem of check(environmentRegistry(registry, name))) {
      const [section, field] = problem.segments;
      const own = typeof section === 'string' && (override as unknown as Record<string, Record<string, unknown> | undefined>)[section]?.[String(field)] !== undefined;
      problems.push({ ...problem, segments: own ? [...where, ...problem.segments] : where, message: `environment "${name}": ${problem.message}` });
    }
  }
  return problems;
}
