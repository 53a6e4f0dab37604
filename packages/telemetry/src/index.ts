/** @mcp-gateway/telemetry: the logger and the metrics every program here uses. */
export { createLogger, errorFields, parseLogLevel, SecretValues, LOG_LEVELS, REDACTED, REDACTED_PATHS } from './log.ts';
export type { LineWriter, LogLevel, Logger, LoggerOptions } from './log.ts';
export { Counter, createRegistry, Gauge, Histogram, METRICS_CONTENT_TYPE, processMetrics, Registry, renderMetrics, serveMetrics } from './metrics.ts';
