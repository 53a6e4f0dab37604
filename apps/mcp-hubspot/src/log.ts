/**
 * JSON-lines log of the app's own events (retries, failed calls), in the runtime's line format.
 * Callers pass only safe fields: never a token, never tool arguments.
 */
import type { LogFn } from './hubspot/client.ts';

const RANK = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof RANK;

/** A logger writing `{"time","level","service","msg",...fields}` lines at or above `minLevel`. */
export function createLog(service: string, minLevel: string | undefined, write: (line: string) => void = (l) => process.stdout.write(l)): LogFn {
  const min = RANK[(minLevel ?? 'info') as Level] ?? RANK.info;
  return (level, msg, fields) => {
    if (RANK[level] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields })}\n`);
  };
}
