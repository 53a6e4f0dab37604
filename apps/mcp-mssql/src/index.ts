// Wiring only: read the settings and start the app on the shared runtime (start errors and signals handled there).
// In the image's single-file bundle the guard's worker thread runs this same file: only the main thread serves.
import { isMainThread } from 'node:worker_threads';
import { runMcpApp } from '@mcp-gateway/mcp-runtime';
import { createApp, loadConfig } from './app.ts';

if (isMainThread) await runMcpApp(() => createApp(loadConfig(process.env)));
