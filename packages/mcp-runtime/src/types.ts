import type { McpServer } from '@modelcontextprotocol/server';
import type { LogLevel, Registry } from '@mcp-gateway/telemetry';

/** What an app gives the runtime. */
export interface McpAppDefinition {
  /** Reported as serverInfo.name, e.g. "mcp-example". */
  name: string;
  /** Reported as serverInfo.version. */
  version: string;
  /** Optional server instructions. */
  instructions?: string;
  /**
   * Registers the app's tools, resources and prompts on a server. It may be called more than once
   * (the runtime decides how many McpServer instances exist), so it only registers, nothing else.
   */
  register(server: McpServer): void;
  /** Registers the app's own metrics (beside the runtime's) on the registry its /metrics serves; called once at start. */
  metrics?(registry: Registry): void;
  /**
   * Readiness: true (or `{ ready: true }`) when the app's dependencies answer. `{ ready: false, reason }` says why
   * not in words a person can act on (no secret, no host name): /readyz and the initialize result carry it.
   * Default: always ready.
   */
  ready?(): Promise<boolean | ReadinessReport>;
  /** Called once during shutdown, after in-flight calls have finished (close pools and the like). */
  close?(): Promise<void>;
}

/** What a readiness check found. */
export interface ReadinessReport {
  ready: boolean;
  /** Why not, e.g. "no SQL Server is configured (MSSQL_SERVER is empty)". */
  reason?: string;
}

/** Which endpoint serves the MCP path (MCP_ENDPOINT). */
export type EndpointKind = 'fast' | 'sdk';

export type { LogLevel } from '@mcp-gateway/telemetry';

/** Runtime settings; `loadRuntimeConfig(env)` reads them from the environment (docs/contracts.md). */
export interface RuntimeConfig {
  /** PORT, default 8000 (0 = any free port, for tests). */
  port: number;
  /** METRICS_PORT: when set, /metrics is served on this port alone (the one the network policy opens to the scraper). */
  metricsPort?: number;
  /** HOST, default '0.0.0.0' (tests use '127.0.0.1'). */
  host: string;
  /** MCP_PATH, default '/mcp'. */
  mcpPath: string;
  /** MCP_ALLOWED_HOSTS: host names (port ignored) accepted on the MCP path. */
  allowedHosts: string[];
  /** MCP_ALLOWED_ORIGINS: origins accepted on the MCP path when a request carries `Origin`. */
  allowedOrigins: string[];
  /** MCP_MAX_BODY_BYTES: larger request bodies get 413. */
  maxBodyBytes: number;
  /** MCP_MAX_INFLIGHT_REQUESTS: JSON-RPC requests handled at once (a batch counts each member); past it, 503. */
  maxInflightRequests: number;
  /** MCP_MAX_INFLIGHT_BYTES: request body bytes held at once (received or being handled); past it, 503. */
  maxInflightBytes: number;
  /** MCP_ENDPOINT: `fast` (shared instances for the hot methods) or `sdk` (the SDK's handler for everything). */
  endpoint: EndpointKind;
  /** SHUTDOWN_TIMEOUT_MS: how long in-flight calls get to finish on shutdown. */
  shutdownTimeoutMs: number;
  /** LOG_LEVEL. */
  logLevel: LogLevel;
  /** MCP_TOOL_LOCK_FILE: the server's tool lock (rendered from tool-locks/<server>.json), compared with its own tools at start. */
  toolLockFile: string | undefined;
}

/** A started server. */
export interface RunningMcpApp {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  url: URL;
  port: number;
  /** Where /metrics is served (on `port`, or on METRICS_PORT). */
  metricsUrl: URL;
  /** Graceful stop: stop accepting, let in-flight calls finish (bounded by shutdownTimeoutMs), call def.close(). */
  close(): Promise<void>;
}
