/**
 * JSON-lines log of the app (same line shape as the runtime's): never SQL text, parameter values
 * or credentials, only what happened and how long it took.
 */

/** Fields of one line: JSON values only, no secrets, no query text. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export type AppLogger = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields) => void;

const RANK = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** A logger writing to stdout at or above LOG_LEVEL (default info). */
export function createAppLogger(env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (l) => process.stdout.write(l)): AppLogger {
  const level = env['LOG_LEVEL'];
  const min = level === 'debug' || level === 'warn' || level === 'error' ? RANK[level] : RANK.info;
  return (lvl, msg, fields) => {
    if (RANK[lvl] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, service: 'mcp-mssql', msg, ...fields })}\n`);
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: AppLogger = () => undefined;
