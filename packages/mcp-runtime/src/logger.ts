/**
 * Structured JSON logs, one object per line on stdout. Callers pass only safe fields:
 * the runtime never logs headers, tokens, or tool arguments.
 */
import type { LogLevel } from './types.ts';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields of one log line (values must be JSON-serializable and contain no secrets). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A leveled JSON-lines logger. */
export interface Logger {
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/** Where lines go (stdout in production, a buffer in tests). */
export type LineSink = (line: string) => void;

const stdoutSink: LineSink = (line) => {
  process.stdout.write(line);
};

/** Creates a logger writing `{"time","level","msg",...fields}` lines at or above `minLevel`. */
export function createLogger(minLevel: LogLevel, service: string, sink: LineSink = stdoutSink): Logger {
  const minRank = LEVEL_RANK[minLevel];
  return {
    enabled: (level) => LEVEL_RANK[level] >= minRank,
    log(level, msg, fields) {
      if (LEVEL_RANK[level] < minRank) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields });
      sink(`${line}\n`);
    },
  };
}
