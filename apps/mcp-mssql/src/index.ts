// Wiring only: read the settings, start the app on the shared runtime (signals handled there).
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, loadConfig } from './app.ts';

await runMcpApp(createApp(loadConfig(process.env)));
