/**
 * From a tool's input JSON Schema to a form and back: the field kinds to render, the draft values the inputs
 * hold (strings for numbers, so partial input survives), and the conversion of a draft into arguments with
 * validation errors keyed by field path. Pure functions: no DOM.
 */

/** The part of JSON Schema the form understands; anything else falls back to a JSON text field. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'array' | 'json';

/** A draft: what the inputs hold. Objects and arrays nest; scalars are strings or booleans; `undefined` = not set. */
export type Draft = string | boolean | undefined | Draft[] | { [key: string]: Draft };

/** Validation errors by field path ('' for the root, 'a.b.0' for nested fields). */
export type FieldErrors = Record<string, string>;

/** The schema's single non-null type, when it has one. */
export function primaryType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return schema.type;
}

/** anyOf/oneOf of [X, {type:null}] (what optional fields often compile to) is treated as X. */
export function unwrapNullable(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const nonNull = options.filter((option) => option.type !== 'null');
    if (nonNull.length === 1) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      return { ...rest, ...nonNull[0] };
    }
  }
  return schema;
}

/** Which input renders a schema. */
export function fieldKind(input: JsonSchema): FieldKind {
  const schema = unwrapNullable(input);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (schema.const !== undefined) return 'enum';
  if (schema.anyOf || schema.oneOf) return 'json';
  const type = primaryType(schema) ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return type;
    case 'object':
      return schema.properties && Object.keys(schema.properties).length > 0 ? 'object' : 'json';
    case 'array':
      return schema.items && fieldKind(schema.items) !== 'json' ? 'array' : 'json';
    default:
      return 'json';
  }
}

/** The choices of an enum (or const) field. */
export function enumChoices(input: JsonSchema): unknown[] {
  const schema = unwrapNullable(input);
  return schema.enum ?? (schema.const !== undefined ? [schema.const] : []);
}

/** Label text of a choice; strings as they are, other values as JSON. */
export function choiceLabel(choice: unknown): string {
  return typeof choice === 'string' ? choice : JSON.stringify(choice);
}

/** The initial draft: the schema's default where given, else empty. */
export function initialDraft(input: JsonSchema, required = true): Draft {
  const schema = unwrapNullable(input);
  const kind = fieldKind(schema);
  const fallback = schema.default;
  switch (kind) {
    case 'object': {
      const draft: { [key: string]: Draft } = {};
      const req = new Set(schema.required ?? []);
      for (const [key, child] of Object.entries(schema.properties ?? {})) draft[key] = initialDraft(child, req.has(key));
      return draft;
    }
    case 'array': {
      const items = Array.isArray(fallback) ? fallback : [];
      const min = Math.max(schema.minItems ?? 0, items.length);
      return Array.from({ length: min }, (_, i) => (items[i] !== undefined ? draftOf(schema.items!, items[i]) : initialDraft(schema.items!, true)));
    }
    case 'boolean':
      return fallback === undefined ? (required ? false : undefined) : Boolean(fallback);
    case 'enum': {
      const choices = enumChoices(schema);
      if (fallback !== undefined) return String(choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(fallback)));
      return required && choices.length === 1 ? '0' : '';
    }
    case 'json':
      return fallback === undefined ? '' : JSON.stringify(fallback, null, 2);
    default:
      return fallback === undefined ? '' : String(fallback);
  }
}

/** A draft holding `value` (for defaults and for re-running a call from history). */
export function draftOf(input: JsonSchema, value: unknown): Draft {
  const schema = unwrapNullable(input);
  const kind = fieldKind(schema);
  if (value === undefined) return initialDraft(schema, false);
  switch (kind) {
    case 'object': {
      const draft: { [key: string]: Draft } = {};
      const record = (value ?? {}) as Record<string, unknown>;
      for (const [key, child] of Object.entries(schema.properties ?? {})) draft[key] = draftOf(child, record[key]);
      return draft;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => draftOf(schema.items!, item)) : [];
    case 'boolean':
      return Boolean(value);
    case 'enum':
      return String(enumChoices(schema).findIndex((c) => JSON.stringify(c) === JSON.stringify(value)));
    case 'json':
      return JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

function checkNumber(schema: JsonSchema, value: number, integer: boolean): string | undefined {
  if (!Number.isFinite(value)) return 'Enter a number';
  if (integer && !Number.isInteger(value)) return 'Enter a whole number';
  if (schema.minimum !== undefined && value < schema.minimum) return `Must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && value > schema.maximum) return `Must be at most ${schema.maximum}`;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `Must be more than ${schema.exclusiveMinimum}`;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `Must be less than ${schema.exclusiveMaximum}`;
  if (schema.multipleOf !== undefined && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) {
    return `Must be a multiple of ${schema.multipleOf}`;
  }
  return undefined;
}

function checkString(schema: JsonSchema, value: string): string | undefined {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) return `At least ${schema.minLength} character(s)`;
  if (schema.maxLength !== undefined && length > schema.maxLength) return `At most ${schema.maxLength} characters`;
  if (schema.pattern !== undefined) {
    try {
      if (!new RegExp(schema.pattern, 'u').test(value)) return `Must match ${schema.pattern}`;
    } catch {
      // a pattern this browser cannot compile is left to the server
    }
  }
  if (schema.format === 'email' && !/^[^\s@]+@[^\s@]+$/.test(value)) return 'Enter an e-mail address';
  if (schema.format === 'uri' && !URL.canParse(value)) return 'Enter an absolute URL';
  return undefined;
}

/** Whether a draft holds nothing (an unset optional field is left out of the arguments). */
function isEmptyDraft(draft: Draft): boolean {
  return draft === undefined || draft === '';
}

/** Marks "no pristine value to compare with" (array items, which exist only because someone added them). */
const NO_PRISTINE = Symbol('no pristine value');
type Pristine = Draft | typeof NO_PRISTINE;

function pristineChild(pristine: Pristine, key: string): Pristine {
  return pristine !== NO_PRISTINE && typeof pristine === 'object' && pristine !== null && !Array.isArray(pristine) ? pristine[key] : NO_PRISTINE;
}

/**
 * Converts a draft into the value to send, collecting every validation error by path. `required` says
 * whether the field must be present. An optional field is left out when it is empty, or untouched: still
 * what the form started with (`pristine`), defaults and empty lists included, since `"filterGroups": []`
 * is not the same as no filterGroups to every API.
 */
export function buildValue(input: JsonSchema, draft: Draft, path: string, required: boolean, errors: FieldErrors, pristine: Pristine = NO_PRISTINE): unknown {
  const schema = unwrapNullable(input);
  const kind = fieldKind(schema);
  if (!required && pristine !== NO_PRISTINE && JSON.stringify(draft) === JSON.stringify(pristine)) return undefined;
  if (kind !== 'object' && kind !== 'array' && kind !== 'boolean' && isEmptyDraft(draft)) {
    if (required) errors[path] = 'Required';
    return undefined;
  }
  switch (kind) {
    case 'object': {
      const record = (draft ?? {}) as { [key: string]: Draft };
      const req = new Set(schema.required ?? []);
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const value = buildValue(child, record[key], path ? `${path}.${key}` : key, req.has(key), errors, pristineChild(pristine, key));
        if (value !== undefined) out[key] = value;
      }
      return !required && Object.keys(out).length === 0 ? undefined : out;
    }
    case 'array': {
      const items = Array.isArray(draft) ? draft : [];
      if (schema.minItems !== undefined && items.length < schema.minItems) errors[path] = `At least ${schema.minItems} item(s)`;
      if (schema.maxItems !== undefined && items.length > schema.maxItems) errors[path] = `At most ${schema.maxItems} items`;
      return items.map((item, i) => buildValue(schema.items!, item, `${path}.${i}`, true, errors));
    }
    case 'boolean':
      if (draft === undefined) {
        if (required) errors[path] = 'Required';
        return undefined;
      }
      return draft === true || draft === 'true';
    case 'enum': {
      const choice = enumChoices(schema)[Number(draft)];
      if (choice === undefined) errors[path] = 'Choose a value';
      return choice;
    }
    case 'number':
    case 'integer': {
      const value = Number(String(draft).trim());
      const problem = String(draft).trim() === '' ? 'Enter a number' : checkNumber(schema, value, kind === 'integer');
      if (problem) errors[path] = problem;
      return value;
    }
    case 'string': {
      const problem = checkString(schema, String(draft));
      if (problem) errors[path] = problem;
      return String(draft);
    }
    default: {
      try {
        return JSON.parse(String(draft));
      } catch {
        errors[path] = 'Enter valid JSON';
        return undefined;
      }
    }
  }
}

/**
 * Whether a tool's input schema declares no arguments: an object with no properties and no
 * additionalProperties schema, which is what the SDK lists for a tool registered without input.
 */
export function takesNoArguments(schema: JsonSchema | undefined): boolean {
  if (!schema || Object.keys(schema).length === 0) return true;
  const type = primaryType(schema) ?? 'object';
  const extra = schema.additionalProperties;
  return type === 'object' && Object.keys(schema.properties ?? {}).length === 0 && (extra === undefined || extra === false);
}

/**
 * The tool arguments from a form draft, or the errors that keep the call from being sent. Optional fields still
 * equal to `pristine` (by default the empty form, `initialDraft(schema)`) are not sent.
 */
export function buildArguments(schema: JsonSchema | undefined, draft: Draft, pristine: Draft = initialDraft(schema ?? {})): { ok: true; args: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  if (takesNoArguments(schema)) return { ok: true, args: {} };
  const root: JsonSchema = schema!;
  const errors: FieldErrors = {};
  // A tool without declared properties takes optional free-form JSON arguments.
  const value = buildValue(root, draft, '', fieldKind(root) === 'object', errors, fieldKind(root) === 'object' ? pristine : NO_PRISTINE);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, args: (value ?? {}) as Record<string, unknown> };
}

/** Returns a copy of `draft` with the value at `path` (a list of keys and indexes) replaced. */
export function setAtPath(draft: Draft, path: (string | number)[], value: Draft): Draft {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(draft)) {
    const copy = [...draft];
    copy[head as number] = setAtPath(copy[head as number], rest, value);
    return copy;
  }
  const record = (typeof draft === 'object' && draft !== null ? draft : {}) as { [key: string]: Draft };
  return { ...record, [head as string]: setAtPath(record[head as string], rest, value) };
}
