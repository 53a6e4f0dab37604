/**
 * JSON-lines logging with redaction. Every line is one event: `{"time","level","event",...fields}`.
 * Secrets never reach the output: values registered with `redact()` are replaced wherever they appear,
 * and fields whose names say they hold a credential are dropped to "[redacted]" whatever their value.
 */

/** Severity of a log line; `error` goes to stderr, the rest to stdout. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields of an event: scalars, arrays or plain objects; never a token. */
export type LogFields = Record<string, unknown>;

/** What the program logs through. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Registers a secret value: from now on it is replaced by `[redacted]` in every line. */
  redact(secret: string): void;
}

const REDACTED = '[redacted]';
const CREDENTIAL_FIELD = /^(access_?token|refresh_?token|client_?secret|id_?token|authorization|password|token)$/i;

/** Short values (an empty string, "1") would redact innocent text; tokens are far longer. */
const MIN_REDACTED_LENGTH = 4;

/** Writes one line; injectable so tests can capture the output. */
export type LineWriter = (level: LogLevel, line: string) => void;

const writeToStdio: LineWriter = (level, line) => {
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
};

/** Creates a logger that writes JSON lines through `write` (stdout/stderr by default). */
export function createLogger(write: LineWriter = writeToStdio, now: () => Date = () => new Date()): Logger {
  const secrets = new Set<string>();

  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };

  const emit = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    const record = { time: now().toISOString(), level, event, ...fields };
    const line = JSON.stringify(record, (key, value: unknown) => {
      if (key !== '' && CREDENTIAL_FIELD.test(key)) return REDACTED;
      if (value instanceof Error) return { name: value.name, message: value.message };
      return value;
    });
    write(level, scrub(line));
  };

  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    redact: (secret) => {
      if (secret.length >= MIN_REDACTED_LENGTH) {
        secrets.add(secret);
        // JSON.stringify escapes some characters; register the escaped form as well.
        secrets.add(JSON.stringify(secret).slice(1, -1));
      }
    },
  };
}
