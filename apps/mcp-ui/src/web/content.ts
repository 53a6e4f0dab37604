/** Helpers to show MCP results by content type. Pure functions. */

/** A content block as tools return them (text, image, audio, resource_link, resource). */
export interface ContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  title?: string;
  description?: string;
  resource?: { uri: string; mimeType?: string; text?: string; blob?: string };
}

/** Text that is a JSON object or array, parsed; undefined for anything else. */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') && trimmed.endsWith('}')) && !(trimmed.startsWith('[') && trimmed.endsWith(']'))) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

const SAFE_IMAGE = /^image\/(png|jpeg|gif|webp|avif|bmp|x-icon)$/;
const SAFE_AUDIO = /^audio\/[a-z0-9.+-]+$/;

/** A data: URL for inline media, only for raster image and audio types (never SVG or HTML, which could carry script). */
export function mediaDataUrl(block: ContentBlock): string | undefined {
  if (!block.data || !block.mimeType) return undefined;
  const ok = block.type === 'image' ? SAFE_IMAGE.test(block.mimeType) : block.type === 'audio' ? SAFE_AUDIO.test(block.mimeType) : false;
  if (!ok || !/^[A-Za-z0-9+/=\s]*$/.test(block.data)) return undefined;
  return `data:${block.mimeType};base64,${block.data.replace(/\s/g, '')}`;
}

/** A short summary of a JSON value for a folded <details>: {3 keys} or [5 items]. */
export function jsonSummary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (value && typeof value === 'object') {
    const n = Object.keys(value).length;
    return `{${n} key${n === 1 ? '' : 's'}}`;
  }
  return JSON.stringify(value);
}

/** Size of a base64 payload in bytes, for labels. */
export function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, '');
  return Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0);
}

type Row = Record<string, unknown>;
const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rows of a value that is a list of records, for a table: an array of objects (SQL rows), or an object
 * holding exactly one such array next to scalars (CRM search results: `{ results: [...], total: 2 }`).
 * `key` names where the rows were; `rest` is everything else. Undefined for anything else.
 */
export function recordsOf(value: unknown): { rows: Row[]; key?: string; rest: Row } | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every(isRecord) ? { rows: value, rest: {} } : undefined;
  if (!isRecord(value)) return undefined;
  const lists = Object.entries(value).filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isRecord));
  if (lists.length !== 1) return undefined;
  const [key, rows] = lists[0]!;
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
  if (Object.values(rest).some((v) => typeof v === 'object' && v !== null && !(Array.isArray(v) && v.length === 0))) return undefined;
  return { rows: rows as Row[], key, rest };
}

/**
 * The columns of a table of rows: every key, in first-seen order. A record nested one level (HubSpot's
 * `properties`) is spread into its own columns as `properties.email`, so the table shows what people read.
 */
export function columnsOf(rows: Row[], limit = 200): string[] {
  const columns = new Set<string>();
  for (const row of rows.slice(0, limit)) {
    for (const [key, value] of Object.entries(row)) {
      if (isRecord(value) && Object.values(value).every((v) => v === null || typeof v !== 'object')) for (const inner of Object.keys(value)) columns.add(`${key}.${inner}`);
      else columns.add(key);
    }
  }
  return [...columns];
}

/** The value of a column (`a` or `a.b`) in a row. */
export function cellOf(row: Row, column: string): unknown {
  if (column in row) return row[column];
  const dot = column.indexOf('.');
  const outer = dot < 0 ? undefined : row[column.slice(0, dot)];
  return isRecord(outer) ? outer[column.slice(dot + 1)] : undefined;
}

/** A cell as text: scalars as they are, anything else as compact JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether two JSON values are the same (text content that repeats structuredContent is shown once). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Row)[k], (b as Row)[k]));
}
