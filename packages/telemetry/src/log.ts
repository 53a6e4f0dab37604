/**
 * The one logger of every program here: pino, one JSON object per line,
 * `{"level":"info","time":"<ISO 8601>","service":"<program>",...fields,"msg":"<event>"}`.
 *
 * Lines are written synchronously (`process.stdout.write`, synchronous for files and pipes on Linux), errors to
 * stderr and the rest to stdout: nothing waits in a buffer when a process exits, and no worker thread is needed
 * (pino's transports run in one, which a single-file bundle cannot carry).
 *
 * Two layers keep secrets out: pino's `redact` replaces fields whose names say they hold a credential (at the
 * top level and one level down), and every line is scrubbed of the values registered in a {@link SecretValues}
 * (tokens a program holds), wherever they appear, messages included.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** A program's logger: `log.info({ field: 1 }, 'event')`, `log.child({ caller })`. */
export type Logger = PinoLogger;

/** What replaces a secret in a line. */
export const REDACTED = '[redacted]';

/** Field names that hold a credential whatever their value. */
const CREDENTIAL_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'idToken',
  'client_secret',
  'clientSecret',
];

/** pino `redact` paths: each credential field at the top level and inside any object field. */
export const REDACTED_PATHS: readonly string[] = CREDENTIAL_FIELDS.flatMap((name) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
  return [key, key.startsWith('[') ? `*${key}` : `*.${key}`];
});

/** Shorter values would redact innocent text; tokens and keys are far longer. */
const MIN_SECRET_LENGTH = 4;

/** Values that must never appear in a line (the tokens a program holds); registered as the program learns them. */
export class SecretValues {
  readonly #values = new Set<string>();

  /** From now on `value` is replaced by [redacted] in every line, raw and as JSON escapes it. */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.#values.add(value);
    this.#values.add(JSON.stringify(value).slice(1, -1));
  }

  /** `text` with every registered value replaced. */
  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }
}

/** Where lines go; `level` is the line's level (stdout for all but `error`, by default). */
export type LineWriter = (line: string, level: LogLevel) => void;

const writeToStdio: LineWriter = (line, level) => {
  (level === 'error' ? process.stderr : process.stdout).write(line);
};

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The `service` field of every line: the program's name. */
  service: string;
  /** Lines below it are dropped (default `info`); `silent` drops everything. */
  level?: LogLevel | 'silent';
  /** Receives each line, newline included (default: stderr for errors, stdout for the rest). */
  write?: LineWriter;
  /** Values scrubbed from every line. */
  secrets?: SecretValues;
}

const LEVEL_OF_NUMBER: Readonly<Record<number, LogLevel>> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/** A stream that asks pino for each line's level, so the writer can route it. */
function lineStream(write: LineWriter): DestinationStream {
  const stream = {
    [Symbol.for('pino.metadata')]: true,
    lastLevel: 30,
    write(line: string) {
      write(line, LEVEL_OF_NUMBER[stream.lastLevel] ?? 'info');
    },
  };
  return stream;
}

/** Creates a program's logger. */
export function createLogger(options: LoggerOptions): Logger {
  const { secrets } = options;
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      ...(secrets !== undefined && { hooks: { streamWrite: (line: string) => secrets.scrub(line) } }),
    },
    lineStream(options.write ?? writeToStdio),
  );
}

/** Reads LOG_LEVEL-style settings: one of the levels, or `fallback` when unset or empty. Throws naming `variable`. */
export function parseLogLevel(value: string | undefined, variable = 'LOG_LEVEL', fallback: LogLevel = 'info'): LogLevel {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return fallback;
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new Error(`${variable} must be one of ${LOG_LEVELS.join(', ')}; got "${value}"`);
}

/** An error as log fields: its name and message, never its stack or its own properties (which may hold a request). */
export function errorFields(error: unknown): { error: string; message: string } {
  if (error instanceof Error) return { error: error.name, message: error.message };
  return { error: typeof error, message: String(error) };
}
