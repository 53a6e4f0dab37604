/** Every name the generator derives, in one place, so the registry checks and the renderers agree. */
import type { Server } from './registry/types.ts';

/** Fixed names of the system (DESIGN.md, "Names the system keeps"). */
export const FIXED = {
  partOf: 'mcp-gateway',
  managedBy: 'mcp-gateway-generators',
  /** The in-cluster listener (plain HTTP on gateway.port, 8080): the UI and other callers inside the cluster. */
  listener: 'http',
  /** The public plain-HTTP listener: it only redirects edge.hosts to HTTPS. */
  publicHttpListener: 'public-http',
  /** The public HTTPS listener, TLS terminated at the proxy with the edge certificate. */
  httpsListener: 'https',
  publicHttpPort: 80,
  httpsPort: 443,
  /** The HTTPRoute on `public-http` that answers every request with a redirect to https. */
  httpsRedirectRoute: 'https-redirect',
  gatewayClass: 'agentgateway',
  policy: 'azure-mcp-authn-policy',
  jwksBackend: 'entra-jwks',
  entraHost: 'login.microsoftonline.com',
  ui: 'mcp-ui',
  uiService: 'mcp-ui-service',
  uiRoute: 'mcp-ui',
  uiCatalog: 'mcp-ui-catalog',
  uiPort: 3000,
  gatewayPodLabel: 'gateway.networking.k8s.io/gateway-name',
  /** `app.kubernetes.io/component` of every object of an MCP server; the JWT policy selects routes by it. */
  serverComponent: 'mcp-server',
  /**
   * The request header that carries the verified caller (the token's `oid`) to the MCP servers. Every MCP route's
   * access policy sets it from the JWT, replacing whatever a client sent (docs/contracts.md, "Every MCP server").
   */
  callerHeader: 'x-mcp-caller',
  accessLogPolicy: 'mcp-access-log',
  proxyParameters: 'agentgateway-proxy',
} as const;

/** The certificate's Secret (and the cert-manager Certificate that writes it) of a Gateway. */
export const edgeTlsName = (gatewayName: string): string => `${gatewayName}-tls`;

/** The pod-template annotation `kubectl rollout restart` and the token refresher stamp (a JSON pointer, `/` as `~1`). */
export const RESTARTED_AT_POINTER = '/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt';

/** Route paths the UI owns; no server may claim them or anything under them. */
export const RESERVED_PATHS = ['/ui', '/auth'] as const;

/** Where the OAuth discovery documents live (RFC 8615); no server may claim it or anything under it. */
export const WELL_KNOWN_ROOT = '/.well-known';

/**
 * Where MCP clients look for sign-in (RFC 9728 protected-resource metadata, RFC 8414 authorization-server
 * metadata): the well-known prefix followed by the route path. agentgateway v1.4.1 answers both on the route
 * that matches them (`crates/agentgateway/src/mcp/auth.rs`, `handle_mcp_request`).
 */
export const DISCOVERY_PREFIXES = {
  protectedResource: '/.well-known/oauth-protected-resource',
  authorizationServer: '/.well-known/oauth-authorization-server',
} as const;

/** The two discovery path prefixes of one MCP route path. */
export function discoveryPaths(routePath: string): string[] {
  return [`${DISCOVERY_PREFIXES.protectedResource}${routePath}`, `${DISCOVERY_PREFIXES.authorizationServer}${routePath}`];
}

/** The server name without a leading `mcp-` (`mcp-hubspot` → `hubspot`). */
export function shortName(serverName: string): string {
  return serverName.startsWith('mcp-') ? serverName.slice(4) : serverName;
}

/** Names derived from one server. */
export interface ServerNames {
  workload: string;
  service: string;
  headlessService: string;
  backend: string;
  route: string;
  serviceAccount: string;
  tokenCronJob: string;
  tokenServiceAccount: string;
  /** AgentgatewayPolicy on the route: who may call it, the caller header, the worded refusals. */
  accessPolicy: string;
  /** AgentgatewayPolicy on the backend: which tools each caller sees and may call (only locked ones). */
  toolAccessPolicy: string;
  /** ConfigMap with the server's tool lock, mounted for its start-up check. */
  toolLock: string;
}

export function serverNames(name: string): ServerNames {
  return {
    workload: name,
    service: `${name}-service`,
    headlessService: `${name}-headless`,
    backend: `${name}-backend`,
    route: name,
    serviceAccount: name,
    tokenCronJob: `${shortName(name)}-token-cronjob`,
    tokenServiceAccount: `${shortName(name)}-token-refresh`,
    accessPolicy: `${name}-access`,
    toolAccessPolicy: `${name}-tool-access`,
    toolLock: `${name}-tool-lock`,
  };
}

/** In-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** A derived name with the length limit Kubernetes puts on it. */
export interface NameLimit {
  what: string;
  name: string;
  max: number;
}

/**
 * The derived names of a server with their limits: Services are DNS-1035 labels (63); a StatefulSet name must
 * leave room for the controller-revision-hash label (52), and so must a CronJob name for its Jobs (52).
 */
export function nameLimits(server: Pick<Server, 'name' | 'workload' | 'tokenRefresh'>): NameLimit[] {
  const n = serverNames(server.name);
  const limits: NameLimit[] = [
    { what: 'Service', name: n.service, max: 63 },
    { what: 'AgentgatewayBackend', name: n.backend, max: 63 },
  ];
  if (server.workload === 'StatefulSet') {
    limits.push({ what: 'headless Service', name: n.headlessService, max: 63 });
    limits.push({ what: 'StatefulSet', name: n.workload, max: 52 });
  }
  if (server.tokenRefresh) limits.push({ what: 'CronJob', name: n.tokenCronJob, max: 52 });
  return limits;
}
