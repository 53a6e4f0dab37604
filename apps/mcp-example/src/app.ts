/** createApp: mcp-example's definition for the runtime (tests and the dev stack start it in-process). */
import type { McpAppDefinition } from '@mcp-gateway/mcp-runtime';
import { DEFAULT_EXAMPLE_CONFIG, type ExampleConfig } from './config.ts';
import { registerConformanceFixtures } from './conformance-fixtures.ts';
import { registerResourcesAndPrompts } from './resources.ts';
import { registerBasicTools } from './tools/basic.ts';
import { registerLongTask } from './tools/long-task.ts';
import { registerTextStats } from './tools/text-stats.ts';
import { registerTimeTool } from './tools/time.ts';

export type { ExampleConfig, TaskEvent } from './config.ts';
export { loadConfig } from './config.ts';

/** The app's name and version, reported as serverInfo. */
export const APP_NAME = 'mcp-example';
export const APP_VERSION = '0.1.0';

/** Builds the app definition; `config` fields default to DEFAULT_EXAMPLE_CONFIG. */
export function createApp(config: Partial<ExampleConfig> = {}): McpAppDefinition {
  const settings: ExampleConfig = { ...DEFAULT_EXAMPLE_CONFIG, ...config };
  return {
    name: APP_NAME,
    version: APP_VERSION,
    instructions: 'Example tools: echo, add, current_time, long_task (progress, cancellation), text_stats (structured output).',
    register(server) {
      registerBasicTools(server);
      registerTimeTool(server);
      registerLongTask(server, settings.stepMs, settings.onTaskEvent);
      registerTextStats(server);
      registerResourcesAndPrompts(server);
      if (settings.conformanceFixtures) registerConformanceFixtures(server);
    },
  };
}
