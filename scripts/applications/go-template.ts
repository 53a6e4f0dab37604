/**
 * The part of the ApplicationSet controller's Go templates (`goTemplate: true`, `missingkey=error`) that this
 * repository's ApplicationSets use: `{{.a.b}}` and `{{ toJson .a.b }}`, with the `{{-`/`-}}` trim markers. Any
 * other action is refused by name, so a template that starts using one fails here instead of being misread.
 * The semantics follow text/template and Sprig's `toJson`, as Argo CD v3 renders them
 * (applicationset/utils/utils.go, `Render` with `missingkey=error`).
 */

/** Template parameters: the generators' output, nested maps as the Go template sees them in goTemplate mode. */
export type Params = Record<string, unknown>;

const ACTION = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
const FIELD = /^\.[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/;

/** Looks up `.a.b.c` like text/template with missingkey=error: a missing key is an error naming it. */
function lookup(params: Params, path: string): unknown {
  let value: unknown = params;
  const keys = path.slice(1).split('.');
  for (const [i, key] of keys.entries()) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !(key in value)) {
      throw new Error(`template: map has no entry for key "${keys.slice(0, i + 1).join('.')}"`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** How text/template prints a value: strings as they are, numbers and booleans as Go formats them. */
function print(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`template: {{${path}}} is ${Array.isArray(value) ? 'a list' : typeof value}; use toJson to print it`);
}

function evaluate(action: string, params: Params): string {
  if (FIELD.test(action)) return print(lookup(params, action), action);
  const toJson = /^toJson\s+(\S+)$/.exec(action);
  if (toJson && FIELD.test(toJson[1]!)) return JSON.stringify(lookup(params, toJson[1]!));
  throw new Error(`template action {{${action}}} is not emulated (only {{.field}} and {{toJson .field}})`);
}

/** Renders one template string. */
export function renderString(template: string, params: Params): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    let text = template.slice(last, match.index);
    if (match[1] === '-') text = text.trimEnd();
    out += text + evaluate(match[2]!, params);
    last = match.index! + match[0].length;
    if (match[3] === '-') {
      const rest = template.slice(last);
      last += rest.length - rest.trimStart().length;
    }
  }
  return out + template.slice(last);
}

/** Renders every string of a template object (keys and values), as the controller does with `template`. */
export function renderValue(value: unknown, params: Params): unknown {
  if (typeof value === 'string') return renderString(value, params);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, params));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderString(k, params), renderValue(v, params)]));
  }
  return value;
}
