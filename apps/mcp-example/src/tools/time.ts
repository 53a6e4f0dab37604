/** current_time: the time now in an IANA time zone. */
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

/** The time `now` as seen in `timeZone`, or an error message when the zone is unknown. */
export function timeInZone(timeZone: string, now: Date): { ok: true; text: string } | { ok: false; error: string } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    return { ok: false, error: `Unknown time zone "${timeZone}": use an IANA name such as Europe/Paris or UTC` };
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return {
    ok: true,
    text: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset} (${timeZone})`,
  };
}

/** Registers current_time. `clock` is injectable for tests. */
export function registerTimeTool(server: McpServer, clock: () => Date = () => new Date()): void {
  server.registerTool(
    'current_time',
    {
      title: 'Current time',
      description: 'The current date and time in an IANA time zone (for example Europe/Paris), as ISO 8601 with offset.',
      inputSchema: z.object({ timeZone: z.string().min(1).max(64).describe('IANA time zone name, e.g. America/New_York or UTC') }),
      annotations: { title: 'Current time', readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ timeZone }) => {
      const result = timeInZone(timeZone, clock());
      if (!result.ok) return { isError: true, content: [{ type: 'text', text: result.error }] };
      return { content: [{ type: 'text', text: result.text }] };
    },
  );
}
