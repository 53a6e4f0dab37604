/** Builds the MCP endpoint: the shared-instance fast path with the SDK's per-request entry behind it. */
import type { McpServer } from '@modelcontextprotocol/server';
import type { McpEndpoint } from './endpoint.ts';
import { createFastEndpoint } from './fast-endpoint.ts';
import type { Logger } from './logger.ts';
import { buildMcpServer, createSdkEndpoint } from './sdk-endpoint.ts';
import type { McpAppDefinition, RuntimeConfig } from './types.ts';

/** What the runtime learns about an app's surface by registering it once. */
export interface AppSurface {
  /** Registered tool names (bounded metric labels). */
  toolNames: Set<string>;
  /** Tools that need the SDK's per-request entry (Mcp-Param headers or scope challenges). */
  slowTools: Set<string>;
}

/** Registers the app on a probe server and records its tools. */
export function inspectApp(def: McpAppDefinition): AppSurface {
  const toolNames = new Set<string>();
  const slowTools = new Set<string>();
  let probe: McpServer | undefined;
  const server = buildMcpServer({
    ...def,
    register(target: McpServer) {
      probe = target;
      const original = target.registerTool.bind(target) as (...args: unknown[]) => unknown;
      (target as unknown as { registerTool: (...args: unknown[]) => unknown }).registerTool = (...args: unknown[]) => {
        const [name, config] = args as [string, { scopeChallenge?: unknown } | undefined];
        toolNames.add(name);
        if (config?.scopeChallenge !== undefined) slowTools.add(name);
        return original(...args);
      };
      def.register(target);
    },
  });
  for (const name of toolNames) {
    const schema = probe?.toolInputSchemaJson(name);
    if (schema !== undefined && JSON.stringify(schema).includes('x-mcp-header')) slowTools.add(name);
  }
  void server.close();
  return { toolNames, slowTools };
}

/** Creates the endpoint that serves the MCP path. */
export async function createEndpoint(
  def: McpAppDefinition,
  config: RuntimeConfig,
  logger: Logger,
  surface: AppSurface,
  sseKeepAliveMs = 15_000,
): Promise<McpEndpoint> {
  const onerror = (error: Error): void => logger.log('debug', 'mcp sdk error', { error: error.message });
  const sdk = createSdkEndpoint(def, config.maxBodyBytes, onerror, sseKeepAliveMs);
  if (config.endpoint === 'sdk') return sdk;
  return createFastEndpoint(def, sdk, surface.slowTools, sseKeepAliveMs);
}
