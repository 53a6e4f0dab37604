// Wiring only: read the settings and start the app on the shared runtime (start errors and signals handled there).
// In the image's single-file bundle the guard's worker thread runs this same file; imports are dynamic so that
// each thread loads only its part: the server on the main thread, the query checker on the worker.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const [{ runMcpApp }, { createLogger, parseLogLevel }, { APP_NAME, createApp, loadConfig }] = await Promise.all([
    import('@mcp-gateway/mcp-runtime'),
    import('@mcp-gateway/telemetry'),
    import('./app.ts'),
  ]);
  await runMcpApp(() => createApp(loadConfig(process.env), { log: createLogger({ service: APP_NAME, level: parseLogLevel(process.env.LOG_LEVEL) }) }));
} else {
  await import('./guard/parse-worker.ts');
}
