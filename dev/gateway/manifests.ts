/**
 * Reads the routing the local gateway serves from rendered manifests (the build of an overlay):
 * the Gateway's listener, every HTTPRoute rule that attaches to it, the AgentgatewayBackend MCP targets the
 * rules point at, the AgentgatewayPolicy traffic policies that target the routes (JWT with its MCP sign-in
 * extension, authorization, transformation, conditional direct responses), the MCP authorization of the
 * backends and the access log of the Gateway. Pure: objects in, model out.
 */

/** A Kubernetes object as rendered (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec?: any;
  [key: string]: unknown;
}

/**
 * One policy's `authorization` as v1.4.1 holds it (a RuleSet): its expressions under the policy's action.
 * Every policy's set applies (`store/binds.rs` pushes them all; `http/authorization.rs` `RuleSets::validate`).
 */
export interface RuleSet {
  policy: string;
  action: 'Allow' | 'Deny' | 'Require';
  expressions: string[];
}

/** Where a rule sends traffic: a Service port, or the single MCP target of an AgentgatewayBackend. */
export type Upstream =
  | { kind: 'service'; service: string; namespace: string; port: number }
  | { kind: 'mcp'; backend: string; target: string; host: string; port: number; path: string; mcpAuthorization?: RuleSet[] };

/**
 * `traffic.jwtAuthentication.mcp`, as v1.4.1 builds its McpAuthentication from it (`types/agent_xds.rs`, the
 * traffic JWT branch ~L2429): issuer and audiences come from the policy's single provider.
 */
export interface McpSignIn {
  provider?: 'Auth0' | 'Authentik' | 'Descope' | 'Entra' | 'Keycloak' | 'Okta';
  clientId?: string;
  /** Served in the protected-resource metadata with keys turned into snake_case. */
  resourceMetadata: Record<string, unknown>;
}

/** The JWT rule of an AgentgatewayPolicy, as the gateway enforces it. */
export interface JwtRule {
  policy: string;
  mode: 'Strict' | 'Optional' | 'Permissive';
  issuer: string;
  audiences: string[];
  mcp?: McpSignIn;
}

/** One `traffic.directResponse` entry: CEL condition (none = always), status, CEL header values, body. */
export interface DirectResponseRule {
  condition?: string;
  status: number;
  headers: { name: string; value: string }[];
  body?: string;
  bodyExpression?: string;
}

/** `traffic.transformation.request`: headers set, added and removed (values are CEL). */
export interface RequestTransformation {
  set: { name: string; value: string }[];
  add: { name: string; value: string }[];
  remove: string[];
}

/**
 * `traffic.rateLimit.local` as v1.4.1's controller translates its first entry (`traffic_plugin.go`,
 * processLocalRateLimitTraffic): a bucket of `requests + burst` tokens, refilled with `requests` every unit.
 */
export interface LocalRateLimit {
  policy: string;
  capacity: number;
  refill: number;
  intervalMs: number;
}

/** The traffic policy fields of the AgentgatewayPolicies that target one route, merged field by field. */
export interface TrafficPolicy {
  jwt?: JwtRule;
  rateLimit?: LocalRateLimit;
  /** `traffic.buffer.request.maxBytes`: 413 above it, and the most an MCP message may be. */
  maxRequestBytes?: number;
  directResponses?: DirectResponseRule[];
  transformation?: RequestTransformation;
  /** Unlike the other fields, every policy's authorization applies. */
  authorization?: RuleSet[];
}

/** `frontend.accessLog` of the Gateway: CEL fields added to every request line, and a CEL filter. */
export interface AccessLogConfig {
  filter?: string;
  attributes: { name: string; expression: string }[];
}

/** One HTTPRoute rule match, flattened: the unit the gateway matches a request against. */
export interface RouteMatch {
  route: string;
  pathType: 'PathPrefix' | 'Exact';
  path: string;
  /** ReplacePrefixMatch value of a URLRewrite filter, when the rule has one. */
  replacePrefix?: string;
  upstream: Upstream;
  /** The HTTPRoute's namespace (CEL `proxy.route.namespace`). */
  routeNamespace: string;
  jwt?: JwtRule;
  authorization?: RuleSet[];
  transformation?: RequestTransformation;
  /** Tried in order after authentication; the first whose condition holds answers the request. */
  directResponses?: DirectResponseRule[];
  rateLimit?: LocalRateLimit;
  maxRequestBytes?: number;
  /** Whether a rule of the route reads `request.body` (v1.4.1 then reads the body before the route's policies). */
  readsBody: boolean;
}

export interface GatewayModel {
  gateway: string;
  namespace: string;
  port: number;
  matches: RouteMatch[];
  accessLog?: AccessLogConfig;
}

/** Builds the gateway model; throws an Error that names the object when a reference does not resolve. */
export function readGatewayModel(objects: KubeObject[], gatewayName = 'agentgateway-proxy'): GatewayModel {
  const gateway = find(objects, 'Gateway', gatewayName);
  if (!gateway) throw new Error(`no Gateway named ${gatewayName} in the manifests`);
  const namespace = gateway.metadata.namespace ?? 'default';
  // The in-cluster listener `http` is the one served here; HTTPS and the redirecting port 80 are the cluster's edge.
  const listener = gateway.spec?.listeners?.find((l: any) => l.name === 'http') ?? gateway.spec?.listeners?.[0];
  if (!listener) throw new Error(`Gateway ${gatewayName} has no listener`);

  const policyByRoute = readTrafficPolicies(objects);
  const toolRules = readMcpAuthorization(objects);
  const matches: RouteMatch[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const attached = (route.spec?.parentRefs ?? []).some((ref: any) => ref.name === gatewayName && (ref.sectionName === undefined || ref.sectionName === listener.name));
    if (!attached) continue;
    for (const rule of route.spec?.rules ?? []) {
      const upstream = readUpstream(objects, route, rule.backendRefs?.[0], toolRules);
      const rewrite = (rule.filters ?? []).find((f: any) => f.type === 'URLRewrite')?.urlRewrite?.path;
      const policy = policyByRoute.get(route.metadata.name);
      const readsBody = /\brequest\.body\b/.test(JSON.stringify([policy?.authorization, policy?.transformation, policy?.directResponses]));
      for (const match of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
        matches.push({
          route: route.metadata.name,
          routeNamespace: route.metadata.namespace ?? namespace,
          pathType: match.path?.type ?? 'PathPrefix',
          path: match.path?.value ?? '/',
          ...(rewrite?.type === 'ReplacePrefixMatch' ? { replacePrefix: rewrite.replacePrefixMatch } : {}),
          upstream,
          ...policy,
          readsBody,
        });
      }
    }
  }
  const accessLog = readAccessLog(objects, gatewayName);
  return { gateway: gatewayName, namespace, port: listener.port, matches, ...(accessLog ? { accessLog } : {}) };
}

function readUpstream(objects: KubeObject[], route: KubeObject, ref: any, toolRules: Map<string, RuleSet[]>): Upstream {
  const where = `HTTPRoute ${route.metadata.name}`;
  if (!ref) throw new Error(`${where} has a rule without backendRefs`);
  const namespace = ref.namespace ?? route.metadata.namespace ?? 'default';
  if (ref.kind === 'AgentgatewayBackend') {
    const backend = find(objects, 'AgentgatewayBackend', ref.name);
    if (!backend) throw new Error(`${where} points at AgentgatewayBackend ${ref.name}, which is not rendered`);
    const targets = backend.spec?.mcp?.targets ?? [];
    if (targets.length !== 1 || !targets[0].static?.host) {
      throw new Error(`AgentgatewayBackend ${ref.name}: the local gateway serves exactly one static MCP target`);
    }
    const target = targets[0].static;
    const mcpAuthorization = toolRules.get(ref.name);
    return { kind: 'mcp', backend: ref.name, target: targets[0].name, host: target.host, port: target.port, path: target.path ?? '/mcp', ...(mcpAuthorization ? { mcpAuthorization } : {}) };
  }
  if ((ref.kind ?? 'Service') === 'Service') {
    return { kind: 'service', service: ref.name, namespace, port: ref.port };
  }
  throw new Error(`${where}: backendRef kind ${ref.kind} is not served by the local gateway`);
}

/**
 * Maps route name → the traffic policy of every AgentgatewayPolicy targeting that HTTPRoute, by name
 * (`targetRefs`) or by labels (`targetSelectors`, same namespace), as the v1.4.1 controller resolves them. Like
 * v1.4.1, two policies on one route merge field by field (`jwtAuthentication`, `transformation`, `directResponse`),
 * the later one winning a field both set (`store/binds.rs`, `merge_with_inheritance`); `authorization` is the
 * exception: every policy's rule set applies.
 */
function readTrafficPolicies(objects: KubeObject[]): Map<string, TrafficPolicy> {
  const byRoute = new Map<string, TrafficPolicy>();
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  for (const policy of objects.filter((o) => o.kind === 'AgentgatewayPolicy')) {
    const traffic = policy.spec?.traffic;
    if (!traffic) continue;
    const fields: TrafficPolicy = {
      ...(traffic.jwtAuthentication ? { jwt: readJwtRule(policy, traffic.jwtAuthentication) } : {}),
      ...(traffic.directResponse ? { directResponses: readDirectResponses(traffic.directResponse) } : {}),
      ...(traffic.transformation?.request ? { transformation: readTransformation(traffic.transformation.request) } : {}),
      ...(traffic.rateLimit?.local?.[0]?.requests ? { rateLimit: readLocalRateLimit(policy, traffic.rateLimit.local[0]) } : {}),
      ...(traffic.buffer?.request?.maxBytes !== undefined ? { maxRequestBytes: quantityBytes(traffic.buffer.request.maxBytes) } : {}),
    };
    const authorization = traffic.authorization ? readRuleSet(policy, traffic.authorization) : undefined;
    const attach = (route: string) => {
      const merged: TrafficPolicy = { ...byRoute.get(route), ...fields };
      if (authorization) merged.authorization = [...(byRoute.get(route)?.authorization ?? []), authorization];
      byRoute.set(route, merged);
    };
    for (const ref of policy.spec?.targetRefs ?? []) {
      if (ref.kind === 'HTTPRoute') attach(ref.name);
    }
    for (const selector of policy.spec?.targetSelectors ?? []) {
      if (selector.kind !== 'HTTPRoute') continue;
      const wanted = Object.entries((selector.matchLabels ?? {}) as Record<string, string>);
      for (const route of routes) {
        const labels = (route.metadata.labels ?? {}) as Record<string, string>;
        const sameNamespace = (route.metadata.namespace ?? 'default') === (policy.metadata.namespace ?? 'default');
        if (sameNamespace && wanted.every(([k, v]) => labels[k] === v)) attach(route.metadata.name);
      }
    }
  }
  return byRoute;
}

const UNIT_MS: Record<string, number> = { Seconds: 1_000, Minutes: 60_000, Hours: 3_600_000 };

function readLocalRateLimit(policy: KubeObject, local: any): LocalRateLimit {
  return { policy: policy.metadata.name, capacity: local.requests + (local.burst ?? 0), refill: local.requests, intervalMs: UNIT_MS[local.unit]! };
}

/** A byte count as the CRD allows it: a number, or a quantity such as `4Mi` or `1M`. */
function quantityBytes(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^([0-9]+)(Ki|Mi|Gi|k|M|G)?$/.exec(value);
  if (!match) throw new Error(`traffic.buffer.request.maxBytes "${value}" is not a byte quantity the local gateway reads`);
  const scale: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * scale[match[2] ?? '']!;
}

function readRuleSet(policy: KubeObject, authorization: any): RuleSet {
  return { policy: policy.metadata.name, action: authorization.action ?? 'Allow', expressions: authorization.policy?.matchExpressions ?? [] };
}

function readTransformation(request: any): RequestTransformation {
  return { set: request.set ?? [], add: request.add ?? [], remove: request.remove ?? [] };
}

/** Backend name → the rule sets of `backend.mcp.authorization` of every policy that targets it (they compose). */
function readMcpAuthorization(objects: KubeObject[]): Map<string, RuleSet[]> {
  const byBackend = new Map<string, RuleSet[]>();
  for (const policy of objects.filter((o) => o.kind === 'AgentgatewayPolicy')) {
    const authorization = policy.spec?.backend?.mcp?.authorization;
    if (!authorization) continue;
    for (const ref of policy.spec?.targetRefs ?? []) {
      if (ref.kind === 'AgentgatewayBackend') byBackend.set(ref.name, [...(byBackend.get(ref.name) ?? []), readRuleSet(policy, authorization)]);
    }
  }
  return byBackend;
}

/** `frontend.accessLog` of the policies on the Gateway (the later policy wins, as for other fields). */
function readAccessLog(objects: KubeObject[], gatewayName: string): AccessLogConfig | undefined {
  let config: AccessLogConfig | undefined;
  for (const policy of objects.filter((o) => o.kind === 'AgentgatewayPolicy')) {
    const accessLog = policy.spec?.frontend?.accessLog;
    if (!accessLog || !(policy.spec?.targetRefs ?? []).some((ref: any) => ref.kind === 'Gateway' && ref.name === gatewayName)) continue;
    config = { ...(accessLog.filter ? { filter: accessLog.filter } : {}), attributes: accessLog.attributes?.add ?? [] };
  }
  return config;
}

function readJwtRule(policy: KubeObject, jwt: any): JwtRule {
  const provider = jwt.providers?.[0];
  if (!provider?.issuer) throw new Error(`AgentgatewayPolicy ${policy.metadata.name} has no JWT provider issuer`);
  if (jwt.mcp && jwt.providers.length !== 1) throw new Error(`AgentgatewayPolicy ${policy.metadata.name}: jwtAuthentication.mcp requires exactly one provider`);
  return {
    policy: policy.metadata.name,
    mode: jwt.mode ?? 'Strict',
    issuer: provider.issuer,
    audiences: provider.audiences ?? [],
    ...(jwt.mcp ? { mcp: { provider: jwt.mcp.provider, clientId: jwt.mcp.clientId, resourceMetadata: jwt.mcp.resourceMetadata ?? {} } } : {}),
  };
}

function readDirectResponses(direct: any): DirectResponseRule[] {
  const entries: { condition?: string; policy: any }[] = direct.conditional ?? [{ policy: direct }];
  return entries.map(({ condition, policy }) => ({
    ...(condition ? { condition } : {}),
    status: policy.status,
    headers: policy.headers ?? [],
    ...(policy.body !== undefined ? { body: policy.body } : {}),
    ...(policy.bodyExpression !== undefined ? { bodyExpression: policy.bodyExpression } : {}),
  }));
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

/**
 * Gateway API path matching: Exact, or PathPrefix on whole path segments; the longest match wins.
 * Returns the request path the upstream sees after a ReplacePrefixMatch rewrite.
 */
export function matchRoute(model: GatewayModel, pathname: string): { match: RouteMatch; upstreamPath: string } | undefined {
  let best: RouteMatch | undefined;
  for (const m of model.matches) {
    const hit = m.pathType === 'Exact' ? pathname === m.path : prefixMatches(m.path, pathname);
    if (!hit) continue;
    if (!best || score(m) > score(best)) best = m;
  }
  if (!best) return undefined;
  return { match: best, upstreamPath: rewritePath(best, pathname) };
}

function prefixMatches(prefix: string, pathname: string): boolean {
  const p = prefix.length > 1 ? prefix.replace(/\/$/, '') : prefix;
  return p === '/' || pathname === p || pathname.startsWith(`${p}/`);
}

function score(m: RouteMatch): number {
  return (m.pathType === 'Exact' ? 1e6 : 0) + m.path.length;
}

function rewritePath(m: RouteMatch, pathname: string): string {
  if (m.replacePrefix === undefined || m.pathType !== 'PathPrefix') return pathname;
  const prefix = m.path.replace(/\/$/, '');
  const rest = pathname.slice(prefix.length);
  const replaced = m.replacePrefix.replace(/\/$/, '') + rest;
  return replaced.startsWith('/') ? replaced : `/${replaced}`;
}
