/** Chooses the MCP endpoint implementation and reads the app's registered tool names. */
import type { McpServer } from '@modelcontextprotocol/server';
import type { McpEndpoint } from './endpoint.ts';
import type { Logger } from './logger.ts';
import { buildMcpServer, createSdkEndpoint } from './sdk-endpoint.ts';
import type { McpAppDefinition, RuntimeConfig } from './types.ts';

/** Names of the tools the app registers (for bounded metric labels). */
export function collectToolNames(def: McpAppDefinition): Set<string> {
  const names = new Set<string>();
  const server = buildMcpServer({
    ...def,
    register(target: McpServer) {
      const original = target.registerTool.bind(target) as (...args: unknown[]) => unknown;
      (target as unknown as { registerTool: (...args: unknown[]) => unknown }).registerTool = (...args: unknown[]) => {
        names.add(args[0] as string);
        return original(...args);
      };
      def.register(target);
    },
  });
  void server.close();
  return names;
}

/** Creates the endpoint that serves the MCP path. */
export function createEndpoint(def: McpAppDefinition, config: RuntimeConfig, logger: Logger): McpEndpoint {
  return createSdkEndpoint(def, config.maxBodyBytes, (error) => {
    logger.log('debug', 'mcp sdk error', { error: error.message });
  });
}
