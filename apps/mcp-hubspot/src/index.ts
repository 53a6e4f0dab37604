// Wiring only: read the settings and start the app on the shared runtime (start errors and signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { APP_NAME, createApp, createLog, loadConfig } from './app.ts';

const log = createLog(APP_NAME, process.env.LOG_LEVEL);
await runMcpApp(() => createApp(loadConfig(process.env), { log }));
