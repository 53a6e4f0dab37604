// Wiring only: read the settings and start the app on the shared runtime (start errors and signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, loadConfig } from './app.ts';

await runMcpApp(() => createApp(loadConfig(process.env)));
