/** The registry's JSON Schema (`generators/schema/servers.schema.json`), compiled once with defaults on. */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Problem } from './types.ts';

/** Absolute path of the registry schema. */
export const REGISTRY_SCHEMA_PATH = new URL('../../schema/servers.schema.json', import.meta.url).pathname;

let compiled: ValidateFunction | undefined;

function registryValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
    compiled = ajv.compile(JSON.parse(readFileSync(REGISTRY_SCHEMA_PATH, 'utf8')));
  }
  return compiled;
}

/** `/servers/1/port` → `servers[1].port`. */
export function toJsonPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^[0-9]+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lookup(data: unknown, segments: string[]): unknown {
  let cur: unknown = data;
  for (const s of segments) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}

/** One ajv error as a registry problem: the JSON path of the field and what was expected. */
function toProblem(error: ErrorObject, data: unknown): Problem & { segments: string[] } {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return { segments: [...segments, field], where: toJsonPath([...segments, field]), message: `unknown field "${field}"` };
    }
    case 'required':
      return { segments, where: toJsonPath(segments), message: `missing required field "${String(params.missingProperty)}"` };
    case 'enum':
      return {
        segments,
        where: toJsonPath(segments),
        message: `must be one of ${(params.allowedValues as unknown[]).map(describeValue).join(', ')} (found ${describeValue(lookup(data, segments))})`,
      };
    case 'false schema':
      return { segments, where: toJsonPath(segments), message: `is not allowed here (found ${describeValue(lookup(data, segments))})` };
    case 'propertyNames':
      return { segments, where: toJsonPath(segments), message: `has an invalid name "${String(params.propertyName)}"` };
    default:
      return { segments, where: toJsonPath(segments), message: `${error.message ?? 'is invalid'} (found ${describeValue(lookup(data, segments))})` };
  }
}

/** Validates and fills defaults in place; returns problems with their path segments (for positions). */
export function checkAgainstSchema(data: unknown): (Problem & { segments: string[] })[] {
  return checkSchema(registryValidator(), data);
}

/** Problems of `data` against a compiled schema, one per field and message. */
export function checkSchema(validate: ValidateFunction, data: unknown): (Problem & { segments: string[] })[] {
  if (validate(data)) return [];
  // propertyNames reports a nested pattern error too; keep the clearer propertyNames one. An `if` failure always
  // comes with the `then` keyword's own error (a missing field), which says it better.
  const errors = (validate.errors ?? []).filter((e) => !e.propertyName && e.keyword !== 'if');
  const seen = new Set<string>();
  return errors.map((e) => toProblem(e, data)).filter((p) => {
    const key = `${p.where}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
