// Wiring only: read the settings and start the app on the shared runtime (start errors and signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { createLogger, parseLogLevel, SecretValues } from '@mcp-gateway/telemetry';
import { APP_NAME, createApp, loadConfig } from './app.ts';

await runMcpApp(() => {
  const secrets = new SecretValues();
  const log = createLogger({ service: APP_NAME, level: parseLogLevel(process.env.LOG_LEVEL), secrets });
  return createApp(loadConfig(process.env), { log, secrets });
});
