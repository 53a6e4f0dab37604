import { h, type VNode } from 'preact';
/** A rendered element (any props). */
type Html = VNode<any>;
import { jsonSummary } from '../content.ts';

/** A JSON value as a tree; objects and arrays fold with <details> (open for the first two levels). */
export function JsonView({ value, depth = 0, label }: { value: unknown; depth?: number; label?: string }): Html {
  const key = label === undefined ? null : h('span', { class: 'json-key' }, `${label}: `);
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'json-leaf' }, key, h('span', { class: `json-${value === null ? 'null' : typeof value}` }, JSON.stringify(value)));
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return h(
    'details',
    { class: 'json-node', open: depth < 2 },
    h('summary', null, key, h('span', { class: 'json-summary' }, jsonSummary(value))),
    h('div', { class: 'json-children' }, entries.map(([k, v]) => h(JsonView, { key: k, value: v, depth: depth + 1, label: k }))),
  );
}
