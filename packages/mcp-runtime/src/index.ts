/** @mcp-gateway/mcp-runtime: the shared runtime of every MCP server in this repository. */
export type { McpAppDefinition, ReadinessReport, RuntimeConfig, RunningMcpApp, LogLevel, EndpointKind } from './types.ts';
export { READINESS_META_KEY } from './readiness-key.ts';
export { loadRuntimeConfig, resolveRuntimeConfig, ConfigError, DEFAULT_RUNTIME_CONFIG } from './config.ts';
export { startMcpApp, type StartOptions } from './server.ts';
export { runMcpApp } from './run.ts';
