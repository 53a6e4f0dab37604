/**
 * Checks between objects: unique objects; every route's parent and backendRefs exist; every MCP backend target
 * resolves to a rendered Service whose port reaches a container port; every MCP route is covered by a JWT
 * policy (and, when the policy serves MCP sign-in, matches the discovery paths) and by access rules; the tool rules
 * of every MCP backend admit only the tools of the lock its server mounts; no two routes claim the same path.
 */
import { LockFormatError, parseLock } from '@mcp-gateway/tool-lock';
import { discoveryPaths, WELL_KNOWN_ROOT } from '../names.ts';
import { lockedToolCondition, TOOL_LOCK_PATHS } from '../render/tool-lock.ts';
import type { Problem } from '../registry/types.ts';
import { objectRef, type KubeObject } from '../render/meta.ts';

type Any = Record<string, any>;
const key = (kind: string, namespace: string | undefined, name: string) => `${kind}|${namespace ?? ''}|${name}`;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function index(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [key(o.kind, o.metadata.namespace, o.metadata.name), o]));
}

function duplicates(objects: KubeObject[]): Problem[] {
  const seen = new Set<string>();
  return objects.flatMap((o) => {
    const k = key(o.kind, o.metadata.namespace, o.metadata.name);
    if (!seen.has(k)) return (seen.add(k), []);
    return [{ where: objectRef(o), message: 'defined more than once' }];
  });
}

/** True when the selector's labels are all on the pod template. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Workloads indexed by namespace and one pod-template label, so a selector finds its candidates at once. */
type WorkloadIndex = Map<string, KubeObject[]>;

function indexWorkloads(objects: KubeObject[]): WorkloadIndex {
  const index: WorkloadIndex = new Map();
  for (const w of objects.filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
    for (const [k, v] of Object.entries(((w as Any).spec?.template?.metadata?.labels ?? {}) as Record<string, string>)) {
      const key = `${w.metadata.namespace ?? ''}|${k}=${v}`;
      const list = index.get(key);
      if (list) list.push(w);
      else index.set(key, [w]);
    }
  }
  return index;
}

/** The workloads a Service selects. */
function selectedWorkloads(service: Any, workloads: WorkloadIndex): KubeObject[] {
  const [first] = Object.entries((service.spec?.selector ?? {}) as Record<string, string>);
  const candidates = first ? (workloads.get(`${service.metadata.namespace ?? ''}|${first[0]}=${first[1]}`) ?? []) : [];
  return candidates.filter((w) => selects(service.spec?.selector, (w as Any).spec?.template?.metadata?.labels));
}

/** Whether a Service port (by number) reaches a named or numbered container port of a selected workload. */
function serviceReachesContainer(service: Any, port: number, workloads: WorkloadIndex): string | undefined {
  const servicePort = (service.spec?.ports ?? []).find((p: Any) => p.port === port);
  if (!servicePort) return `Service has no port ${port}`;
  const targetPort = servicePort.targetPort ?? port;
  const selected = selectedWorkloads(service, workloads);
  if (selected.length === 0) return 'Service selects no rendered workload';
  const reaches = selected.some((w) =>
    ((w as Any).spec.template.spec.containers as Any[]).some((c) =>
      (c.ports ?? []).some((p: Any) => (typeof targetPort === 'string' ? p.name === targetPort : p.containerPort === targetPort)),
    ),
  );
  return reaches ? undefined : `Service port ${port} (targetPort ${String(targetPort)}) reaches no container port`;
}

function routeChecks(objects: KubeObject[], byKey: Map<string, KubeObject>, workloads: WorkloadIndex): Problem[] {
  const problems: Problem[] = [];
  const pathOwner = new Map<string, string>();
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute') as (KubeObject & Any)[]) {
    const where = objectRef(route);
    const ns = route.metadata.namespace;
    for (const parent of route.spec?.parentRefs ?? []) {
      const gateway = byKey.get(key(parent.kind ?? 'Gateway', parent.namespace ?? ns, parent.name)) as Any | undefined;
      if (!gateway) problems.push({ where, message: `parent Gateway "${parent.name}" is not rendered` });
      else if (parent.sectionName && !(gateway.spec?.listeners ?? []).some((l: Any) => l.name === parent.sectionName)) {
        problems.push({ where, message: `parent Gateway "${parent.name}" has no listener "${parent.sectionName}"` });
      }
    }
    for (const rule of route.spec?.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        const target = byKey.get(key(ref.kind ?? 'Service', ref.namespace ?? ns, ref.name));
        if (!target) problems.push({ where, message: `backendRef ${ref.kind ?? 'Service'} "${ref.name}" does not exist` });
        else if ((ref.kind ?? 'Service') === 'Service') {
          const reason = serviceReachesContainer(target, ref.port, workloads);
          if (reason) problems.push({ where, message: `backendRef "${ref.name}": ${reason}` });
        }
      }
      for (const match of rule.matches ?? []) {
        const path = `${match.path?.type ?? 'PathPrefix'} ${match.path?.value ?? '/'}`;
        const owner = pathOwner.get(path);
        if (owner && owner !== where) problems.push({ where, message: `path ${path} is also claimed by ${owner}` });
        else pathOwner.set(path, where);
      }
    }
  }
  return problems;
}

function backendChecks(objects: KubeObject[], byKey: Map<string, KubeObject>, workloads: WorkloadIndex): Problem[] {
  const problems: Problem[] = [];
  for (const backend of objects.filter((o) => o.kind === 'AgentgatewayBackend') as (KubeObject & Any)[]) {
    for (const target of backend.spec?.mcp?.targets ?? []) {
      const host: string | undefined = target.static?.host;
      if (!host) continue;
      const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
      const service = match && byKey.get(key('Service', match[2], match[1]!));
      if (!service) {
        problems.push({ where: objectRef(backend), message: `target "${target.name}": host ${host} is not a rendered Service` });
        continue;
      }
      const reason = serviceReachesContainer(service, target.static.port, workloads);
      if (reason) problems.push({ where: objectRef(backend), message: `target "${target.name}": ${reason}` });
    }
  }
  return problems;
}

/** Whether a policy attaches to a route, by name (`targetRefs`) or by labels (`targetSelectors`), as agentgateway resolves them. */
function policyTargetsRoute(policy: Any, route: Any): boolean {
  if ((policy.metadata.namespace ?? '') !== (route.metadata.namespace ?? '')) return false;
  const isRoute = (t: Any) => t.kind === 'HTTPRoute' && (t.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io';
  if ((policy.spec.targetRefs ?? []).some((t: Any) => isRoute(t) && t.name === route.metadata.name)) return true;
  const labels: Record<string, string> = route.metadata.labels ?? {};
  return (policy.spec.targetSelectors ?? []).some((t: Any) => isRoute(t) && Object.entries((t.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v));
}

/** The routes whose backendRefs reach an AgentgatewayBackend with `spec.mcp`, with those backends. */
function mcpRoutes(objects: KubeObject[], byKey: Map<string, KubeObject>): { route: KubeObject & Any; backends: string[] }[] {
  return (objects.filter((o) => o.kind === 'HTTPRoute') as (KubeObject & Any)[]).flatMap((route) => {
    const backends = (route.spec?.rules ?? []).flatMap((rule: Any) =>
      (rule.backendRefs ?? [])
        .filter((ref: Any) => ref.kind === 'AgentgatewayBackend' && (byKey.get(key(ref.kind, ref.namespace ?? route.metadata.namespace, ref.name)) as Any)?.spec?.mcp)
        .map((ref: Any) => key('AgentgatewayBackend', ref.namespace ?? route.metadata.namespace, ref.name)),
    );
    return backends.length > 0 ? [{ route, backends }] : [];
  });
}

/** Policies by the targets they name: `Kind|namespace|name` → the policies' specs. */
function policiesByTarget(objects: KubeObject[]): Map<string, Any[]> {
  const byTarget = new Map<string, Any[]>();
  for (const policy of objects.filter((o) => o.kind === 'AgentgatewayPolicy') as Any[]) {
    for (const ref of policy.spec?.targetRefs ?? []) {
      const k = key(ref.kind, policy.metadata.namespace, ref.name);
      const list = byTarget.get(k);
      if (list) list.push(policy);
      else byTarget.set(k, [policy]);
    }
  }
  return byTarget;
}

/**
 * Who may call what is decided for every MCP route: a policy with `traffic.authorization` on the route and one
 * with `backend.mcp.authorization` on its backend (without them v1.4.1 lets every valid token use every tool).
 * At most one policy per route may set `directResponse` or `transformation`: v1.4.1 keeps one policy's value of
 * such a field and drops the others (`store/binds.rs`, `merge_with_inheritance`), which would silently lose the
 * scope challenge, a refusal or the caller header.
 */
function accessCoverage(objects: KubeObject[], byKey: Map<string, KubeObject>): Problem[] {
  const byTarget = policiesByTarget(objects);
  const allPolicies = objects.filter((o) => o.kind === 'AgentgatewayPolicy') as Any[];
  const order = new Map(allPolicies.map((p, i) => [p, i]));
  const bySelector = allPolicies.filter((p) => p.spec.targetSelectors?.length);
  // In the objects' order, as agentgateway meets them: the policies that name the route, then those that select it.
  const policiesOf = (route: Any): Any[] =>
    [...new Set([...(byTarget.get(key('HTTPRoute', route.metadata.namespace, route.metadata.name)) ?? []), ...bySelector.filter((p) => policyTargetsRoute(p, route))])]
      .sort((a, b) => order.get(a)! - order.get(b)!);
  return mcpRoutes(objects, byKey).flatMap(({ route, backends }) => {
    const where = objectRef(route);
    const policies = policiesOf(route);
    const problems: Problem[] = [];
    if (!policies.some((p) => p.spec.traffic?.authorization)) problems.push({ where, message: 'MCP route has no access policy (traffic.authorization): every valid token would reach it' });
    for (const backend of backends) {
      if (!(byTarget.get(backend) ?? []).some((p) => p.spec.backend?.mcp?.authorization)) {
        problems.push({ where, message: `backend ${backend.split('|')[2]} has no tool policy (backend.mcp.authorization): every caller would see and call every tool` });
      }
    }
    for (const field of ['directResponse', 'transformation', 'rateLimit', 'buffer']) {
      const setting = policies.filter((p) => p.spec.traffic?.[field]).map((p) => p.metadata.name);
      if (setting.length > 1) problems.push({ where, message: `${setting.join(' and ')} both set traffic.${field}; agentgateway keeps only one of them` });
    }
    // A request timeout would cut the long-lived streams of MCP (SSE answers, server-to-client streams).
    const timed = policies.filter((p) => p.spec.traffic?.timeouts).map((p) => p.metadata.name);
    if (timed.length > 0) problems.push({ where, message: `${timed.join(' and ')} set traffic.timeouts on an MCP route; a request timeout cuts long-lived MCP streams` });
    if ((route.spec?.rules ?? []).some((rule: Any) => rule.timeouts)) problems.push({ where, message: 'a rule of the MCP route sets timeouts; a request timeout cuts long-lived MCP streams' });
    return problems;
  });
}

/**
 * The gateway serves only locked tools: every Allow rule of the tool policies of an MCP backend carries the
 * condition naming the tools of the lock that the backend's server mounts (ConfigMap `<name>-tool-lock`). An
 * overlay that dropped it, or a lock ConfigMap changed without its rules, would open tools no pull request locked.
 */
function lockCoverage(objects: KubeObject[], byKey: Map<string, KubeObject>, workloads: WorkloadIndex): Problem[] {
  const byTarget = policiesByTarget(objects);
  const problems: Problem[] = [];
  for (const backend of objects.filter((o) => o.kind === 'AgentgatewayBackend' && (o as Any).spec?.mcp) as (KubeObject & Any)[]) {
    const where = objectRef(backend);
    const locks = new Set<string>();
    for (const target of backend.spec.mcp.targets ?? []) {
      const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(target.static?.host ?? '');
      const service = match && byKey.get(key('Service', match[2], match[1]!));
      for (const workload of service ? selectedWorkloads(service, workloads) : []) {
        for (const volume of (workload as Any).spec.template.spec.volumes ?? []) if (volume.name === TOOL_LOCK_PATHS.volume && volume.configMap?.name) locks.add(key('ConfigMap', workload.metadata.namespace, volume.configMap.name));
      }
    }
    if (locks.size !== 1) {
      problems.push({ where, message: locks.size === 0 ? 'its server mounts no tool lock (ConfigMap volume "tool-lock"): nothing pins the tools the gateway serves' : 'its targets mount different tool locks' });
      continue;
    }
    const [lockKey] = [...locks];
    const configMap = byKey.get(lockKey!) as Any | undefined;
    if (!configMap) {
      problems.push({ where, message: `its tool lock ConfigMap ${lockKey!.split('|')[2]} is not rendered` });
      continue;
    }
    let condition: string;
    try {
      condition = `(${lockedToolCondition(parseLock(configMap.data?.[TOOL_LOCK_PATHS.key] ?? ''))})`;
    } catch (error) {
      if (!(error instanceof LockFormatError)) throw error;
      problems.push({ where: objectRef(configMap as KubeObject), message: `${TOOL_LOCK_PATHS.key} is not a tool lock: ${error.message}` });
      continue;
    }
    const policies = (byTarget.get(key('AgentgatewayBackend', backend.metadata.namespace, backend.metadata.name)) ?? []).filter((p) => p.spec.backend?.mcp?.authorization);
    const allows = policies.filter((p) => (p.spec.backend.mcp.authorization.action ?? 'Allow') === 'Allow');
    if (policies.length > 0 && allows.length === 0) problems.push({ where, message: 'its tool rules have no Allow rule pinned to its tool lock' });
    for (const policy of allows) {
      for (const expression of policy.spec.backend.mcp.authorization.policy?.matchExpressions ?? []) {
        if (!String(expression).endsWith(` && ${condition}`)) problems.push({ where: objectRef(policy as KubeObject), message: `the rule ${JSON.stringify(expression)} does not require a tool of the lock (${condition}): it would serve tools no pull request locked` });
      }
    }
  }
  return problems;
}

/** An MCP route is one whose backendRefs reach an AgentgatewayBackend with `spec.mcp`. */
function policyCoverage(objects: KubeObject[], byKey: Map<string, KubeObject>): Problem[] {
  const jwtPolicies = (objects.filter((o) => o.kind === 'AgentgatewayPolicy') as Any[]).filter((p) => p.spec?.traffic?.jwtAuthentication);
  return (objects.filter((o) => o.kind === 'HTTPRoute') as (KubeObject & Any)[])
    .filter((route) =>
      (route.spec?.rules ?? []).some((rule: Any) =>
        (rule.backendRefs ?? []).some((ref: Any) => ref.kind === 'AgentgatewayBackend' && (byKey.get(key(ref.kind, ref.namespace ?? route.metadata.namespace, ref.name)) as Any)?.spec?.mcp),
      ),
    )
    .filter((route) => !jwtPolicies.some((policy) => policyTargetsRoute(policy, route)))
    .map((route) => ({ where: objectRef(route), message: 'MCP route is not covered by any JWT policy' }));
}

/**
 * A route under a policy with `jwtAuthentication.mcp` must also match the discovery prefixes of each of its paths:
 * agentgateway answers them only on a route that matched them, and a 404 there leaves MCP clients with no way to
 * find where to sign in.
 */
function discoveryCoverage(objects: KubeObject[]): Problem[] {
  const mcpPolicies = (objects.filter((o) => o.kind === 'AgentgatewayPolicy') as Any[]).filter((p) => p.spec?.traffic?.jwtAuthentication?.mcp);
  const problems: Problem[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute') as (KubeObject & Any)[]) {
    if (!mcpPolicies.some((policy) => policyTargetsRoute(policy, route))) continue;
    for (const rule of route.spec?.rules ?? []) {
      const prefixes = new Set<string>((rule.matches ?? []).filter((m: Any) => (m.path?.type ?? 'PathPrefix') === 'PathPrefix').map((m: Any) => m.path?.value ?? '/'));
      for (const path of prefixes) {
        if (path.startsWith(`${WELL_KNOWN_ROOT}/`)) continue;
        for (const discovery of discoveryPaths(path)) {
          if (!prefixes.has(discovery)) problems.push({ where: objectRef(route), message: `matches ${path} but not ${discovery}: MCP clients cannot discover where to sign in` });
        }
      }
    }
  }
  return problems;
}

/** Every cross-object problem. */
export function crossCheckObjects(objects: KubeObject[]): Problem[] {
  const byKey = index(objects);
  const workloads = indexWorkloads(objects);
  return [
    ...duplicates(objects),
    ...routeChecks(objects, byKey, workloads),
    ...backendChecks(objects, byKey, workloads),
    ...policyCoverage(objects, byKey),
    ...accessCoverage(objects, byKey),
    ...lockCoverage(objects, byKey, workloads),
    ...discoveryCoverage(objects),
  ];
}
