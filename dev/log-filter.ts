/**
 * What `npm run dev` prints of its processes' output: everything, or only the processes named with `--log`,
 * and without the line each MCP server writes when a client probes for a GET stream (a 405 the servers answer
 * by design, since they are stateless; `--verbose` shows them). The stack's own announcements (`[dev]`) always show.
 */
import type { Echo } from './processes.ts';

/** Whether a line is a runtime's log of a refused GET/DELETE on the MCP path (status 405). */
export function isStreamProbeRefusal(line: string): boolean {
  if (!line.startsWith('{') || !line.includes('405')) return false;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; status?: unknown };
    return entry.msg === 'mcp request refused' && entry.status === 405;
  } catch {
    return false;
  }
}

/** A printer for the stack's output. */
export function createPrinter(options: { only?: ReadonlySet<string>; verbose?: boolean; write?: (text: string) => void }): Echo {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return (source, line) => {
    if (source !== 'dev' && options.only && !options.only.has(source)) return;
    if (!options.verbose && isStreamProbeRefusal(line)) return;
    write(`[${source}] ${line}\n`);
  };
}
