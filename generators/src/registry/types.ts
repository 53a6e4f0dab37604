/** Types of the registry (`servers.json`) after defaults are applied. The JSON Schema is the source of truth. */
import type { ToolLock } from '@mcp-gateway/tool-lock';

/** CPU and memory quantities, e.g. `{ cpu: '50m', memory: '64Mi' }`. */
export interface QuantityPair {
  cpu: string;
  memory: string;
}

/** Container requests and limits; both are always rendered. */
export interface Resources {
  requests: QuantityPair;
  limits: QuantityPair;
}

/** One Secret mounted as a directory; each `env` entry becomes `<name>=<mountPath>/<key>`. */
export interface SecretMount {
  secretName: string;
  mountPath: string;
  /** Variable name to Secret key. */
  env: Record<string, string>;
}

/** The token-refresh CronJob of a server. */
export interface TokenRefresh {
  provider: 'hubspot';
  image: string;
  /** @default '*\/23 * * * *' */
  schedule: string;
  /** @default 'Etc/UTC' */
  timeZone: string;
  tokenUrl: string;
  /** Secret receiving `access-token` and `expires-at`. */
  secretName: string;
  credentialsSecret: { name: string };
  /** Restart the server's workload after each refresh. @default false */
  restart: boolean;
  resources: Resources;
}

/**
 * Who may use a server, and which of its tools: exactly one of `role`, `scope`, `group`, `everyoneInTenant` or
 * `when`, optionally limited to `tools`. A server's grants are OR-ed: a caller any grant admits reaches the
 * server; a tool is open to the callers of the grants that do not limit tools or that list it.
 */
export interface Grant {
  /** An app role of the API registration (`auth.appRoles[].value`), from the token's `roles` claim. */
  role?: string;
  /** A delegated scope of the API, from the token's `scp` claim (`mcp.access`, not the `api://` form). */
  scope?: string;
  /** An Entra group object id, from the token's `groups` claim (needs the groups claim configured). */
  group?: string;
  /** Every person signed in to the tenant (delegated tokens, guests included); never applications. */
  everyoneInTenant?: true;
  /** A CEL condition over the verified token (`jwt.*`), for what the kinds above cannot say. */
  when?: string;
  /** The tools this grant opens (tool names); without it, every tool, resource and prompt of the server. */
  tools?: string[];
}

/** Kinds of workload a server can run as. */
export type WorkloadKind = 'Deployment' | 'StatefulSet';

/** One MCP server. */
export interface Server {
  /** DNS-1035 label; the workload name and the base of every derived name. */
  name: string;
  description: string;
  image: string;
  /** @default 8000 */
  port: number;
  /** MCP endpoint inside the server. @default '/mcp' */
  path: string;
  /** Public path prefix. @default `/mcp/<name>` */
  routePath: string;
  /** @default 'Deployment' */
  workload: WorkloadKind;
  /** @default 1 */
  replicas: number;
  /** @default 1000 */
  runAsUser: number;
  /** Plain configuration; never secrets (values under secret-like names or shaped like credentials are refused). */
  env: Record<string, string>;
  /** Deliberate exceptions to that refusal: variable of `env` to the reason its value is not a secret. */
  notSecrets?: Record<string, string>;
  secretMounts: SecretMount[];
  resources: Resources;
  /** Bounds on work in flight per pod; `bytes` defaults to a 32nd of the memory limit. */
  inflight: { requests: number; bytes?: number };
  tokenRefresh?: TokenRefresh;
  /** Who may use the server and which tools; required (`npm run generate` refuses a server without it). */
  access: Grant[];
  /** This server's route limits over the registry's `limits`, field by field. */
  limits?: LimitsOverride;
  /** Thresholds of the server's alerts. */
  alerts: ServerAlerts;
  /** The tools it may offer, from `tool-locks/<name>.json` beside servers.json; required (a server without a lock is refused). */
  toolLock: ToolLock;
}

/** A local rate limit of one route (`traffic.rateLimit.local`), per proxy replica. */
export interface RateLimit {
  requests: number;
  unit: 'Seconds' | 'Minutes' | 'Hours';
  burst: number;
}

/** What the gateway enforces on an MCP route; `maxRequestBytes` defaults to the server's own body limit. */
export interface Limits {
  rateLimit: RateLimit;
  maxRequestBytes?: number;
}

/** Limits as written in the registry: any field may be left to the level above. */
export interface LimitsOverride {
  rateLimit?: Partial<RateLimit>;
  maxRequestBytes?: number;
}

/** Where the HTTPS listener's certificate comes from: a cert-manager Certificate, or a Secret made out of band. */
export type EdgeTls =
  | { certManager: { issuer: { kind: 'ClusterIssuer' | 'Issuer'; name: string }; renewBefore?: string }; secretName?: never }
  | { secretName: string; certManager?: never };

/** The proxy's Service type: in-cluster only, a public load balancer, or one on the private network. */
export interface EdgeService {
  /** @default 'ClusterIP' */
  type: 'ClusterIP' | 'LoadBalancer' | 'InternalLoadBalancer';
  /** The cloud whose annotation makes a load balancer internal (InternalLoadBalancer only). */
  cloud?: 'azure' | 'aws' | 'gcp';
  annotations?: Record<string, string>;
}

/** The public side of the Gateway: HTTPS for `hosts`, port 80 redirecting to it, the proxy's Service. */
export interface Edge {
  /** @default [the host of ui.publicUrl] */
  hosts: string[];
  /** @default { secretName: '<gateway>-tls' } */
  tls: EdgeTls;
  service: EdgeService;
}

/** What one environment (`overlays/<name>/`) sets differently; merged over the top level. */
export interface EnvironmentOverride {
  auth?: Partial<Pick<Auth, 'tenantId' | 'clientId' | 'audiences' | 'scope' | 'mcpClientId'>>;
  ui?: Partial<Pick<Ui, 'publicUrl' | 'clientId'>>;
  edge?: Partial<Edge>;
}

/** Who may hold an app role: people (and groups), applications (client credentials), or both. */
export type AppRoleMemberType = 'User' | 'Application';

/** An app role of the API registration, rendered into its `appRoles` manifest fragment. */
export interface AppRole {
  /** What the token's `roles` claim carries, e.g. `HubSpot.Read`. */
  value: string;
  displayName: string;
  description: string;
  /** @default ['User'] */
  allowedMemberTypes: AppRoleMemberType[];
}

/** Microsoft Entra ID settings of the JWT policy. */
export interface Auth {
  tenantId: string;
  clientId: string;
  audiences: string[];
  /** Delegated scope every caller's token must carry, `<Application ID URI>/<name>` (e.g. `api://<id>/mcp.access`). */
  scope: string;
  /** The public app registration MCP clients sign in with (handed out instead of dynamic client registration). */
  mcpClientId: string;
  /** @default 2 */
  tokenVersion: 1 | 2;
  /** The API registration's app roles that `servers[].access` grants name. @default [] */
  appRoles: AppRole[];
}

/** One key of a Secret. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** Where the UI keeps sessions: in the pod (one replica only) or in a Redis every replica reaches. */
export type SessionStore =
  | { type: 'memory' }
  | {
      type: 'redis';
      /** redis:// or rediss:// URL, maybe with the ACL user name; never a password. */
      url: string;
      /** The password of the UI's Redis user. */
      passwordSecret: SecretKeyRef;
      /** PEM CA of the Redis server's certificate (rediss:// with a private CA). */
      caSecret?: SecretKeyRef;
    };

/** The web UI. */
export interface Ui {
  image: string;
  /** @default 2 */
  replicas: number;
  publicUrl: string;
  clientId: string;
  /** @default 'mcp-ui-oidc' */
  oidcSecretName: string;
  /** @default { type: 'memory' } (refused with more than one replica) */
  sessionStore: SessionStore;
  /** @default 1000 */
  runAsUser: number;
  resources: Resources;
}

/** Control plane chart coordinates (used by the overlays and Argo CD helpers). */
export interface ControlPlane {
  namespace: string;
  chartRepository: string;
  agentgatewayVersion: string;
  gatewayApiVersion: string;
}

/** Thresholds of a server's alerts (docs/operations.md, "Alerts"). */
export interface ServerAlerts {
  /** @default 0.05: share of messages ending in a tool or internal error over 10 minutes. */
  errorRatio: number;
  /** @default 5: the 99th percentile of tools/call, in seconds, for 10 minutes. */
  latencyP99Seconds: number;
  /** @default 3: container restarts of one pod within an hour. */
  restarts: number;
  /** @default 10: with tokenRefresh, how soon before the token's expiry the alert fires at the latest. */
  tokenExpiresWithinMinutes: number;
}

/** The gateway's OpenTelemetry tracing to an OTLP collector's Service. */
export interface Tracing {
  service: string;
  /** Default: the registry's namespace. */
  namespace?: string;
  port: number;
  /** @default 'GRPC' */
  protocol: 'GRPC' | 'HTTP';
  /** @default 0.01 */
  randomSampling: number;
}

/** Telemetry rendered from the registry (docs/operations.md, "Monitoring"). */
export interface Monitoring {
  /** @default 9464: METRICS_PORT of every MCP server and the UI. */
  metricsPort: number;
  /** @default true: render PodMonitors and PrometheusRules. */
  prometheusOperator: boolean;
  /** Labels of every PodMonitor and PrometheusRule (the Prometheus' selectors). @default {} */
  objectLabels: Record<string, string>;
  /** @default { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } } */
  scraper: { namespace: string; podLabels: Record<string, string> };
  /** @default '30s' */
  scrapeInterval: string;
  /** Base URL of docs/operations.md for the alerts' runbook_url. */
  runbookBaseUrl: string;
  grafanaDashboard: { enabled: boolean; labels: Record<string, string>; folder?: string };
  tracing?: Tracing;
}

/** The whole registry with defaults applied; `servers` sorted by name. */
export interface Registry {
  /** @default 'agentgateway-system' */
  namespace: string;
  gateway: { name: string; port: number };
  auth: Auth;
  ui: Ui;
  edge: Edge;
  /** Limits on every MCP route, with defaults applied (servers[].limits override them). */
  limits: Limits;
  /** Per environment, what it sets differently; the generator renders base/environments/<name>/ from it. @default {} */
  environments: Record<string, EnvironmentOverride>;
  controlPlane: ControlPlane;
  monitoring: Monitoring;
  servers: Server[];
}

/** A server as servers.json writes it, before its tool lock is attached. */
export type ServerEntry = Omit<Server, 'toolLock'>;

/** The registry before the tool locks are attached (what `npm run tools:lock` reads). */
export type RegistryEntries = Omit<Registry, 'servers'> & { servers: ServerEntry[] };

/** One problem found in the registry or in rendered objects. */
export interface Problem {
  /** Where: a registry JSON path (`servers[1].port`) or an object (`Deployment agentgateway-system/mcp-example`). */
  where: string;
  /** What is wrong, and what was expected. */
  message: string;
  /** The file the position is in, when it is not servers.json (a tool lock). */
  file?: string;
  /** 1-based position in the source text, when known. */
  line?: number;
  column?: number;
}
