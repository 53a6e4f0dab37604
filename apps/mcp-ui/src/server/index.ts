import { createUiServer, loadUiConfig } from './app.ts';
import { createLogger } from './log.ts';

// Wiring only: read the environment, start, stop gracefully on SIGTERM/SIGINT.
const log = createLogger();
let config;
try {
  config = loadUiConfig(process.env);
} catch (error) {
  log.error('bad configuration', { message: (error as Error).message });
  process.exit(1);
}
const running = await createUiServer(config, { log }).listen();
log.info('mcp-ui listening', { port: running.url.port, publicUrl: config.publicUrl.origin, sessionStore: config.sessionStore ? 'redis' : 'memory' });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    running.server.close(() => process.exit(0));
    // Open SSE streams would hold the process; give in-flight requests a moment, then leave.
    setTimeout(() => process.exit(0), 10_000).unref();
    running.server.closeIdleConnections();
  });
}
