/**
 * Evaluates the CRDs' CEL rules (`x-kubernetes-validations`) with @bufbuild/cel, on a copy of the object with the
 * schema defaults applied (the API server defaults before it validates). Rules the library cannot run (the
 * Kubernetes-only functions such as `quantity`) are counted and reported, never passed silently. Transition rules
 * (`oldSelf`) do not apply on create and are counted apart.
 */
import { CelScalar, celFunc, isCelError, parse, plan, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { SchemaNode } from './crd.ts';

/** Functions of the Kubernetes CEL library that @bufbuild/cel does not have. */
const KUBERNETES_ONLY = /\b(quantity|isQuantity|isLessThan|isGreaterThan|compareTo|asInteger|asApproximateFloat|isURL|url|getScheme|getHost|getHostname|getPort|getEscapedPath|getQuery|ip|isIP|cidr|isCIDR|isSorted|sum|authorizer|semver|isSemver|format\.[a-zA-Z0-9]+)\(/;

/** The standard `matches(string, regex)` function form, which the library only offers as a method. */
const matchesFunc = celFunc('matches', [CelScalar.STRING, CelScalar.STRING], CelScalar.BOOL, (text, pattern) => new RegExp(pattern, 'u').test(text));
const env = celEnv({ funcs: [...strings, matchesFunc] });

type Evaluator = (self: unknown) => unknown;

/** How one rule text was prepared. */
export type CompiledRule = { status: 'ok'; run: Evaluator } | { status: 'unsupported'; reason: string } | { status: 'transition' };

const compiledRules = new Map<string, CompiledRule>();

/** Parses and plans a rule once (cached by text). */
export function compileRule(rule: string): CompiledRule {
  const cached = compiledRules.get(rule);
  if (cached) return cached;
  let compiled: CompiledRule;
  const kubernetesOnly = KUBERNETES_ONLY.exec(rule);
  if (/\boldSelf\b/.test(rule)) compiled = { status: 'transition' };
  else if (kubernetesOnly) compiled = { status: 'unsupported', reason: `uses ${kubernetesOnly[1]}()` };
  else {
    try {
      const evaluate = plan(env, parse(rule));
      compiled = { status: 'ok', run: (self) => evaluate({ self } as never) };
    } catch (error) {
      compiled = { status: 'unsupported', reason: (error as Error).message };
    }
  }
  compiledRules.set(rule, compiled);
  return compiled;
}

/** Counts over a set of evaluated objects. */
export interface CelStats {
  evaluated: number;
  /** Rule evaluations skipped because the library cannot run the rule, by rule text. */
  unsupported: Map<string, { reason: string; count: number }>;
  transitionSkipped: number;
}

export const newCelStats = (): CelStats => ({ evaluated: 0, unsupported: new Map(), transitionSkipped: 0 });

/** A rule violation: the field path and the rule's message. */
export interface CelViolation {
  path: string;
  message: string;
}

/** Fills missing properties that have a schema `default`, recursively (mutates a copy made by the caller). */
function applyDefaults(value: unknown, schema: SchemaNode): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((v) => applyDefaults(v, schema.items as SchemaNode)) : value;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  for (const [key, sub] of Object.entries(properties)) {
    if (out[key] === undefined && sub.default !== undefined) out[key] = structuredClone(sub.default);
    if (out[key] !== undefined) out[key] = applyDefaults(out[key], sub);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(out)) if (!(key in properties)) out[key] = applyDefaults(out[key], schema.additionalProperties as SchemaNode);
  }
  return out;
}

const isUnsupportedError = (message: string) => /unbound function|no matching overload/.test(message);

function walk(value: unknown, schema: SchemaNode, path: string, stats: CelStats, out: CelViolation[]): void {
  for (const validation of (schema['x-kubernetes-validations'] ?? []) as { rule: string; message?: string }[]) {
    const compiled = compileRule(validation.rule);
    if (compiled.status === 'transition') {
      stats.transitionSkipped++;
      continue;
    }
    if (compiled.status === 'unsupported') {
      const entry = stats.unsupported.get(validation.rule) ?? { reason: compiled.reason, count: 0 };
      entry.count++;
      stats.unsupported.set(validation.rule, entry);
      continue;
    }
    stats.evaluated++;
    const result = compiled.run(value);
    if (isCelError(result) && isUnsupportedError(result.message)) {
      const entry = stats.unsupported.get(validation.rule) ?? { reason: result.message, count: 0 };
      entry.count++;
      stats.unsupported.set(validation.rule, entry);
    } else if (isCelError(result)) {
      out.push({ path, message: `rule ${JSON.stringify(validation.rule)} failed to evaluate: ${result.message}` });
    } else if (result !== true) {
      out.push({ path, message: validation.message ?? `failed rule ${JSON.stringify(validation.rule)}` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => walk(item, schema.items as SchemaNode, `${path}[${i}]`, stats, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const sub = properties[key] ?? (typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as SchemaNode) : undefined);
    if (sub && child !== undefined) walk(child, sub, path ? `${path}.${key}` : key, stats, out);
  }
}

/** Evaluates every applicable rule of `schema` on `object` (defaults applied first). */
export function evaluateCelRules(object: unknown, schema: SchemaNode, stats: CelStats = newCelStats()): CelViolation[] {
  const out: CelViolation[] = [];
  walk(applyDefaults(object, schema), schema, '', stats, out);
  return out;
}

/** Every rule in a schema, for counting what can and cannot be evaluated. */
export function collectRules(schema: SchemaNode, out: string[] = []): string[] {
  for (const v of (schema['x-kubernetes-validations'] ?? []) as { rule: string }[]) out.push(v.rule);
  for (const sub of Object.values((schema.properties ?? {}) as Record<string, SchemaNode>)) collectRules(sub, out);
  if (schema.items && typeof schema.items === 'object') collectRules(schema.items as SchemaNode, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') collectRules(schema.additionalProperties as SchemaNode, out);
  return out;
}

/** How many of a schema's rules this evaluator can run, and which it cannot (with the reason). */
export interface CelRuleReport {
  total: number;
  compiled: number;
  transition: number;
  unsupported: { rule: string; reason: string }[];
}

export function celRuleReport(schema: SchemaNode): CelRuleReport {
  const report: CelRuleReport = { total: 0, compiled: 0, transition: 0, unsupported: [] };
  for (const rule of collectRules(schema)) {
    report.total++;
    const compiled = compileRule(rule);
    if (compiled.status === 'ok') report.compiled++;
    else if (compiled.status === 'transition') report.transition++;
    else report.unsupported.push({ rule, reason: compiled.reason });
  }
  return report;
}
