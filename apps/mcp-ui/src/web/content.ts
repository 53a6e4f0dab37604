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
