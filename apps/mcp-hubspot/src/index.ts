// Wiring only: read the settings, start the app on the shared runtime (signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { APP_NAME, createApp, createLog, loadConfig } from './app.ts';

await runMcpApp(createApp(loadConfig(process.env), { log: createLog(APP_NAME, process.env.LOG_LEVEL) }));
