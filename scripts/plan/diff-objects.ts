/**
 * Object-by-object difference between two renderings of one environment (pure).
 * Objects are matched by `kind/namespace/name`; a changed object carries a unified diff of its YAML.
 */
import { stringify } from 'yaml';
import type { AccessChange } from './access-diff.ts';
import type { ToolChange } from './tool-diff.ts';
import { unifiedDiff } from './unified-diff.ts';

import type { KubeObject } from '../../generators/src/index.ts';

/** A Kubernetes object as Kustomize renders it (the generators' one declaration of the type). */
export type { KubeObject };

/** An object present on one side only. */
export interface ObjectOnOneSide {
  key: string;
  yaml: string;
}

/** An object present on both sides with different content. */
export interface ChangedObject {
  key: string;
  /** Unified diff of the object's YAML, old to new. */
  diff: string;
}

/** What changes in one environment between the old and the new rendering. */
export interface EnvironmentPlan {
  environment: string;
  added: ObjectOnOneSide[];
  changed: ChangedObject[];
  removed: ObjectOnOneSide[];
  /** Set when the environment could not be rendered on one side; the lists are then empty. */
  error?: string;
  /** The Applications whose renders were compared (the change touches their inputs). */
  rendered?: string[];
  /** How many Applications of the environment were not rendered: none of their inputs changed. */
  skipped?: number;
  /** Who gains or loses access to which server or tool (access-diff.ts), shown above the objects. */
  access?: AccessChange[];
  /** The tools each server may offer, added, removed or changed (tool-diff.ts), shown above the objects. */
  tools?: ToolChange[];
}

const REDACTED = '<redacted>';

/** `kind/namespace/name`, or `kind/name` for cluster-scoped objects. */
export function objectKey(object: KubeObject): string {
  const kind = object.kind ?? '<no kind>';
  const name = object.metadata?.name ?? '<no name>';
  const namespace = object.metadata?.namespace;
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** Sorts mapping keys recursively, so that a change of key order is not reported as a change. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Secret values must never reach a terminal or a pull-request comment. */
function redactSecret(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const redacted: KubeObject = { ...object };
  for (const field of ['data', 'stringData'] as const) {
    const values = object[field];
    if (values && typeof values === 'object') {
      redacted[field] = Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED]));
    }
  }
  return redacted;
}

/** Stable YAML of one object, as shown in the plan. */
export function objectYaml(object: KubeObject): string {
  return stringify(canonical(redactSecret(object)), { lineWidth: 0 });
}

function byKey(objects: KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const object of objects) map.set(objectKey(object), object);
  return map;
}

/** Compares the objects of one environment, `before` (the git ref) against `after` (the working tree). */
export function diffEnvironment(environment: string, before: KubeObject[], after: KubeObject[]): EnvironmentPlan {
  const old = byKey(before);
  const next = byKey(after);
  const keys = [...new Set([...old.keys(), ...next.keys()])].sort();
  const plan: EnvironmentPlan = { environment, added: [], changed: [], removed: [] };
  for (const key of keys) {
    const a = old.get(key);
    const b = next.get(key);
    if (!a && b) plan.added.push({ key, yaml: objectYaml(b) });
    else if (a && !b) plan.removed.push({ key, yaml: objectYaml(a) });
    else if (a && b) {
      const diff = unifiedDiff(objectYaml(a), objectYaml(b), { fromLabel: `a/${key}`, toLabel: `b/${key}` });
      if (diff) plan.changed.push({ key, diff });
    }
  }
  return plan;
}

/** `dev: 3 added, 1 changed, 0 removed` */
export function summaryLine(plan: EnvironmentPlan): string {
  if (plan.error) return `${plan.environment}: not rendered (${plan.error})`;
  return `${plan.environment}: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed`;
}

/** `dev: rendered 2 of 1,001 Applications (mcp-dev, mcp-dev-mcp-weather); 999 skipped, their inputs did not change` */
export function scopeLine(plan: EnvironmentPlan): string | undefined {
  if (plan.error || plan.rendered === undefined) return undefined;
  const total = plan.rendered.length + (plan.skipped ?? 0);
  const shown = plan.rendered.slice(0, 10).join(', ') + (plan.rendered.length > 10 ? `, and ${plan.rendered.length - 10} more` : '');
  const count = (n: number) => n.toLocaleString('en-US');
  const rendered = `rendered ${count(plan.rendered.length)} of ${count(total)} Applications${shown ? ` (${shown})` : ''}`;
  return `${plan.environment}: ${rendered}; ${count(plan.skipped ?? 0)} skipped, their inputs did not change`;
}

/** True when no environment changes and none failed to render. */
export function isEmptyPlan(plans: EnvironmentPlan[]): boolean {
  return plans.every((p) => !p.error && p.added.length + p.changed.length + p.removed.length === 0);
}
