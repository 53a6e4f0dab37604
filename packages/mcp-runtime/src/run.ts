/** runMcpApp: the production entry point (environment, start, signal handling, exit). */
import { createLogger, errorFields } from '@mcp-gateway/telemetry';
import { loadRuntimeConfig } from './config.ts';
import { startMcpApp } from './server.ts';
import type { McpAppDefinition, RunningMcpApp, RuntimeConfig } from './types.ts';

/**
 * Reads the environment, starts the app and installs SIGTERM/SIGINT handlers that close gracefully
 * (finish in-flight calls within SHUTDOWN_TIMEOUT_MS, then def.close()) and exit 0 (1 on a failed close).
 * Pass a factory to have the app's own settings read inside: any start failure (a bad setting, a port in use)
 * is then one JSON error line and exit code 1, never a stack trace.
 */
export async function runMcpApp(
  definition: McpAppDefinition | (() => McpAppDefinition),
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningMcpApp> {
  const { def, config, app } = await startOrExit(definition, env);
  const log = createLogger({ service: def.name, level: config.logLevel });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Last resort if def.close() hangs: the drain is already bounded by SHUTDOWN_TIMEOUT_MS.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000).unref();
    log.info({ signal }, 'signal received');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ error: errorFields(error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}

async function startOrExit(
  definition: McpAppDefinition | (() => McpAppDefinition),
  env: NodeJS.ProcessEnv,
): Promise<{ def: McpAppDefinition; config: RuntimeConfig; app: RunningMcpApp }> {
  let service: string | undefined;
  try {
    const def = typeof definition === 'function' ? definition() : definition;
    service = def.name;
    const config = loadRuntimeConfig(env);
    return { def, config, app: await startMcpApp(def, config) };
  } catch (error) {
    createLogger({ service: service ?? 'mcp-server' }).error({ error: errorFields(error).message }, 'cannot start');
    process.exit(1);
  }
}
