/** One JSON line per event on stdout/stderr. Callers pass messages and plain fields, never tokens or cookies. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(silent = false): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (silent) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
    (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** An error's name and message only (openid-client errors carry no tokens in these; bodies are not logged). */
export function describeError(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; code?: string; error?: string };
  return { error: e?.name ?? 'Error', message: e?.message ?? String(error), ...(e?.code ? { code: e.code } : {}), ...(e?.error ? { oauthError: e.error } : {}) };
}
