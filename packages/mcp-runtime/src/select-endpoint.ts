/** Builds the MCP endpoint: the shared-instance fast path with the SDK's per-request entry behind it. */
import { InMemoryTransport, ProtocolErrorCode, type JSONRPCMessage, type McpServer, type Tool } from '@modelcontextprotocol/server';
import type { McpEndpoint } from './endpoint.ts';
import { createFastEndpoint } from './fast-endpoint.ts';
import type { Logger } from '@mcp-gateway/telemetry';
import { buildMcpServer, createSdkEndpoint } from './sdk-endpoint.ts';
import { X_MCP_HEADER_KEY } from './sdk-internals.ts';
import type { McpAppDefinition, RuntimeConfig } from './types.ts';

/** What the runtime learns about an app's surface by registering it once. */
export interface AppSurface {
  /** The tools as `tools/list` lists them (the start-up check compares them with the tool lock). */
  tools: Tool[];
  /** Registered tool names (bounded metric labels). */
  toolNames: Set<string>;
  /** Tools that need the SDK's per-request entry (Mcp-Param headers or scope challenges). */
  slowTools: Set<string>;
}

/** The server's `tools/list`, asked over the SDK's in-memory transport (every page); none when no tool is registered. */
async function listTools(server: McpServer): Promise<Tool[]> {
  const [probe, serverSide] = InMemoryTransport.createLinkedPair();
  const answers = new Map<number, (message: JSONRPCMessage) => void>();
  probe.onmessage = (message) => {
    const id = (message as { id?: unknown }).id;
    if (typeof id === 'number') answers.get(id)?.(message);
  };
  await server.connect(serverSide);
  await probe.start();
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let id = 1; ; id += 1) {
    const answer = new Promise<JSONRPCMessage>((resolve) => answers.set(id, resolve));
    await probe.send({ jsonrpc: '2.0', id, method: 'tools/list', ...(cursor !== undefined && { params: { cursor } }) });
    const message = (await answer) as { result?: { tools?: Tool[]; nextCursor?: string }; error?: { code: number; message: string } };
    // The SDK's McpServer installs its tools/list handler with the first registered tool.
    if (message.error?.code === ProtocolErrorCode.MethodNotFound) break;
    if (message.result === undefined) throw new Error(`tools/list failed on the probe server: ${message.error?.message ?? 'no result'}`);
    tools.push(...(message.result.tools ?? []));
    cursor = message.result.nextCursor;
    if (cursor === undefined) break;
  }
  await server.close();
  return tools;
}

/** Registers the app on a probe server and records its tools (names, and which need the SDK's entry). */
export async function inspectApp(def: McpAppDefinition): Promise<AppSurface> {
  const slowTools = new Set<string>();
  const server = buildMcpServer({
    ...def,
    register(target: McpServer) {
      // A scope challenge is server-side configuration: it shows only in registerTool's own arguments.
      const original = target.registerTool.bind(target) as (...args: unknown[]) => unknown;
      (target as unknown as { registerTool: (...args: unknown[]) => unknown }).registerTool = (...args: unknown[]) => {
        const [name, config] = args as [string, { scopeChallenge?: unknown } | undefined];
        if (config?.scopeChallenge !== undefined) slowTools.add(name);
        return original(...args);
      };
      def.register(target);
    },
  });
  const tools = await listTools(server);
  for (const tool of tools) {
    if (JSON.stringify(tool.inputSchema ?? {}).includes(`"${X_MCP_HEADER_KEY}"`)) slowTools.add(tool.name);
  }
  return { tools, toolNames: new Set(tools.map((tool) => tool.name)), slowTools };
}

/** Creates the endpoint that serves the MCP path: `config.endpoint` chooses the fast path or the SDK's handler alone. */
export async function createEndpoint(
  def: McpAppDefinition,
  config: RuntimeConfig,
  logger: Logger,
  surface: AppSurface,
  sseKeepAliveMs = 15_000,
): Promise<McpEndpoint> {
  const onerror = (error: Error): void => logger.debug({ error: error.message }, 'mcp sdk error');
  const sdk = createSdkEndpoint(def, config.maxBodyBytes, onerror, sseKeepAliveMs);
  if (config.endpoint === 'sdk') return sdk;
  return createFastEndpoint(def, sdk, surface.slowTools, sseKeepAliveMs);
}
