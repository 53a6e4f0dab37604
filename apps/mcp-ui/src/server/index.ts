import { createLogger, parseLogLevel } from '@mcp-gateway/telemetry';
import { createUiServer, loadUiConfig, uiSecrets } from './app.ts';

// Wiring only: read the environment, start, stop gracefully on SIGTERM/SIGINT.
let log = createLogger({ service: 'mcp-ui' });
let config;
try {
  config = loadUiConfig(process.env);
  log = createLogger({ service: 'mcp-ui', level: parseLogLevel(process.env.LOG_LEVEL), secrets: uiSecrets(config) });
} catch (error) {
  log.error({ message: (error as Error).message }, 'bad configuration');
  process.exit(1);
}
const running = await createUiServer(config, { log }).listen();
log.info({ port: running.url.port, metricsPort: running.metricsUrl?.port ?? null, publicUrl: config.publicUrl.origin, sessionStore: config.sessionStore ? 'redis' : 'memory' }, 'mcp-ui listening');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    running.server.close(() => process.exit(0));
    // Open SSE streams would hold the process; give in-flight requests a moment, then leave.
    setTimeout(() => process.exit(0), 10_000).unref();
    running.server.closeIdleConnections();
  });
}
