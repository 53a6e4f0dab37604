/**
 * The one form a tool definition is compared and digested in: JSON with every object's keys sorted by UTF-16
 * code units and no whitespace, which is RFC 8785 (JCS) for the values a tool definition holds (ECMAScript
 * number and string serialization, as JSON.stringify writes them). Two listings of the same tools that differ
 * only in key order (the SDK client reorders `$schema` in one protocol era) have one canonical form.
 */
import { createHash } from 'node:crypto';

/** A JSON value as JSON.parse returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The value with every object's keys sorted (arrays keep their order); `undefined` members are dropped. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item)) as T;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => byCodeUnits(a, b)).map(([k, v]) => [k, sortKeys(v)])) as T;
  }
  return value;
}

/** Canonical JSON text of `value` (sorted keys, no whitespace), written directly: digests are taken of every tool at every generate. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort(byCodeUnits);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `sha256:<hex>` of the UTF-8 bytes of `text`. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
