/** Types of the registry (`servers.json`) after defaults are applied. The JSON Schema is the source of truth. */

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
  env: Record<string, string>;
  secretMounts: SecretMount[];
  resources: Resources;
  /** Bounds on work in flight per pod; `bytes` defaults to a 32nd of the memory limit. */
  inflight: { requests: number; bytes?: number };
  tokenRefresh?: TokenRefresh;
}

/** Microsoft Entra ID settings of the JWT policy. */
export interface Auth {
  tenantId: string;
  clientId: string;
  audiences: string[];
  /** @default 2 */
  tokenVersion: 1 | 2;
}

/** The web UI. */
export interface Ui {
  image: string;
  /** @default 2 */
  replicas: number;
  publicUrl: string;
  clientId: string;
  apiScope: string;
  /** @default 'mcp-ui-oidc' */
  oidcSecretName: string;
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

/** The whole registry with defaults applied; `servers` sorted by name. */
export interface Registry {
  /** @default 'agentgateway-system' */
  namespace: string;
  gateway: { name: string; port: number };
  auth: Auth;
  ui: Ui;
  controlPlane: ControlPlane;
  servers: Server[];
}

/** One problem found in the registry or in rendered objects. */
export interface Problem {
  /** Where: a registry JSON path (`servers[1].port`) or an object (`Deployment agentgateway-system/mcp-example`). */
  where: string;
  /** What is wrong, and what was expected. */
  message: string;
  /** 1-based position in the source text, when known. */
  line?: number;
  column?: number;
}
