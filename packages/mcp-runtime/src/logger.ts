/**
 * Structured JSON logs, one object per line on stdout. Callers pass only safe fields:
 * the runtime never logs headers, tokens, or tool arguments.
 *
 * Lines are batched: they are joined and written once per event-loop turn (or when 64 KiB are
 * waiting), because writing to a pipe or file is a synchronous syscall per write on Linux.
 */
import type { LogLevel } from './types.ts';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const FLUSH_BYTES = 64 * 1024;

/** Fields of one log line (values must be JSON-serializable and contain no secrets). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A leveled JSON-lines logger. */
export interface Logger {
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** Writes the lines still waiting (call before process.exit). */
  flush(): void;
}

/** Where batches of lines go (stdout in production, a buffer in tests). */
export type LineSink = (text: string) => void;

const stdoutSink: LineSink = (text) => {
  process.stdout.write(text);
};

/** Creates a logger writing `{"time","level","service","msg",...fields}` lines at or above `minLevel`. */
export function createLogger(minLevel: LogLevel, service: string, sink: LineSink = stdoutSink): Logger {
  const minRank = LEVEL_RANK[minLevel];
  let waiting: string[] = [];
  let waitingBytes = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (waiting.length === 0) return;
    const text = waiting.join('');
    waiting = [];
    waitingBytes = 0;
    sink(text);
  };
  return {
    enabled: (level) => LEVEL_RANK[level] >= minRank,
    log(level, msg, fields) {
      if (LEVEL_RANK[level] < minRank) return;
      const line = `${JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields })}\n`;
      waiting.push(line);
      waitingBytes += line.length;
      if (waitingBytes >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
