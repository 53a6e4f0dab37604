/** runMcpApp: the production entry point (environment, start, signal handling, exit). */
import { loadRuntimeConfig } from './config.ts';
import { startMcpApp } from './server.ts';
import type { McpAppDefinition, RunningMcpApp } from './types.ts';

/**
 * Reads the environment, starts the app and installs SIGTERM/SIGINT handlers that close gracefully
 * (finish in-flight calls within SHUTDOWN_TIMEOUT_MS, then def.close()) and exit 0 (1 on a failed close).
 */
export async function runMcpApp(def: McpAppDefinition, env: NodeJS.ProcessEnv = process.env): Promise<RunningMcpApp> {
  const config = loadRuntimeConfig(env);
  const app = await startMcpApp(def, config);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Last resort if def.close() hangs: the drain is already bounded by SHUTDOWN_TIMEOUT_MS.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000).unref();
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', service: def.name, msg: 'signal received', signal })}\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: 'error', service: def.name, msg: 'shutdown failed', error: error instanceof Error ? error.message : String(error) })}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}
