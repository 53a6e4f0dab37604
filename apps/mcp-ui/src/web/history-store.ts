/**
 * The call history, kept in this browser per person (localStorage, keyed by the `userKey` /api/me gives):
 * tool calls, prompt gets and resource reads, newest first, at most 50, each result at most 100 KB. Pure but
 * for the storage passed in; never holds a token (only what the page itself sent and received).
 */
import type { CallOutcome } from './components/result-view.ts';

export type HistoryKind = 'tool' | 'prompt' | 'resource';

/** One call, prompt or read. */
export interface HistoryEntry {
  id: string;
  kind: HistoryKind;
  server: string;
  /** Tool name, prompt name or resource URI. */
  name: string;
  args: Record<string, unknown>;
  /** ISO 8601. */
  startedAt: string;
  durationMs?: number;
  /** Absent while running. */
  outcome?: CallOutcome;
}

export const HISTORY_LIMIT = 50;
export const RESULT_LIMIT_BYTES = 100 * 1024;

const keyFor = (userKey: string) => `mcp-ui:history:v1:${userKey}`;

/** A result too large to keep is replaced by a note saying so. */
function trimmed(entry: HistoryEntry): HistoryEntry {
  if (!entry.outcome) return entry;
  const size = JSON.stringify(entry.outcome).length;
  if (size <= RESULT_LIMIT_BYTES) return entry;
  return { ...entry, outcome: { kind: 'result', result: { content: [{ type: 'text', text: `The result (${Math.round(size / 1024)} KB) was too large to keep in this browser. Run again to see it.` }] } } };
}

/** Reads a person's history; entries that were running when the page went away end as interrupted. */
export function loadHistory(storage: Pick<Storage, 'getItem'>, userKey: string): HistoryEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(keyFor(userKey)) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((e): e is HistoryEntry => typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.server === 'string' && typeof e.name === 'string')
    .map((e): HistoryEntry => (e.outcome ? e : { ...e, outcome: { kind: 'failure', message: 'The page was closed or reloaded before this ended; its result is unknown.' } }))
    .slice(0, HISTORY_LIMIT);
}

/** Saves a person's history (newest first, bounded); a full storage keeps what it had. */
export function saveHistory(storage: Pick<Storage, 'setItem' | 'removeItem'>, userKey: string, entries: HistoryEntry[]): void {
  try {
    if (entries.length === 0) storage.removeItem(keyFor(userKey));
    else storage.setItem(keyFor(userKey), JSON.stringify(entries.slice(0, HISTORY_LIMIT).map(trimmed)));
  } catch {
    // quota exceeded or storage disabled: the history lives on for this page only
  }
}

/** The list with `entry` added or updated in place (by id). */
export function withEntry(entries: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const at = entries.findIndex((e) => e.id === entry.id);
  if (at < 0) return [entry, ...entries].slice(0, HISTORY_LIMIT);
  const copy = [...entries];
  copy[at] = entry;
  return copy;
}

let counter = 0;
/** A new entry id, unique in this browser. */
export function newEntryId(): string {
  return `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
