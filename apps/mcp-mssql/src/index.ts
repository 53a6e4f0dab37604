// Wiring only: read the settings, start the app on the shared runtime (signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, loadConfig } from './app.ts';
import { ConfigError } from './config.ts';
import { createAppLogger } from './log.ts';

try {
  await runMcpApp(createApp(loadConfig(process.env)));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createAppLogger(process.env)('error', 'invalid configuration', { error: error.message });
  process.exit(1);
}
