// Wiring only: read the settings, start the app on the shared runtime (signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { APP_NAME, createApp, createLog, loadConfig, type HubSpotConfig } from './app.ts';

const log = createLog(APP_NAME, process.env.LOG_LEVEL);
let config: HubSpotConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  // A bad setting stops the start with one clear line instead of a stack trace.
  log('error', 'invalid configuration', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
await runMcpApp(createApp(config, { log }));
