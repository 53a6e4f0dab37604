/**
 * Schema validation per kind: core kinds with kubernetes-models' validate(), Gateway API with
 * @kubernetes-models/gateway-api, Argo CD with @kubernetes-models/argo-cd, the Prometheus Operator's with
 * @kubernetes-models/prometheus-operator, agentgateway kinds with ajv against the
 * v1.4.1 CRDs plus their CEL rules. An unknown kind is a problem.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import type { Problem } from '../registry/types.ts';
import { objectRef, type KubeObject } from '../render/meta.ts';
import { evaluateCelRules, newCelStats, type CelStats } from './cel.ts';
import { crdKinds } from './crd.ts';

// The model packages are ESM with import-only exports: find the package folder, then require(esm) loads one
// kind's module file synchronously, on first use.
const require = createRequire(import.meta.url);
const packageDirs = new Map<string, string>();

function packageDir(pkg: string): string {
  let dir = packageDirs.get(pkg);
  if (!dir) {
    try {
      dir = dirname(fileURLToPath(import.meta.resolve(pkg)));
    } catch {
      dir = resolve(import.meta.dirname, '../../../node_modules', pkg);
    }
    packageDirs.set(pkg, dir);
  }
  return dir;
}

type ModelClass = { apiVersion: string; kind: string; prototype: { validate(): void } };

const PACKAGE_BY_GROUP: [RegExp, string][] = [
  [/^gateway\.networking\.(x-)?k8s\.io$/, '@kubernetes-models/gateway-api'],
  [/^argoproj\.io$/, '@kubernetes-models/argo-cd'],
  // cert-manager's Certificate (the edge's TLS); the schema and its version: generators/crds/README.md.
  [/^cert-manager\.io$/, '@kubernetes-models/cert-manager'],
  [/^monitoring\.coreos\.com$/, '@kubernetes-models/prometheus-operator'],
  [/^([a-z0-9-]+\.)*k8s\.io$|^(apps|batch|policy|autoscaling|extensions)$/, 'kubernetes-models'],
];

const modelCache = new Map<string, ModelClass | undefined>();

/** The model class of `apiVersion` + `kind`, or undefined when no package knows it. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  let found: ModelClass | undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = group === '' ? 'kubernetes-models' : PACKAGE_BY_GROUP.find(([re]) => re.test(group!))?.[1];
  if (pkg && /^v[0-9a-z]+$/.test(version ?? '') && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      const file = join(packageDir(pkg), group === '' ? '' : group!, version!, `${kind}.js`);
      const cls = existsSync(file) ? (require(file) as Record<string, ModelClass>)[kind] : undefined;
      if (cls && cls.kind === kind && cls.apiVersion === apiVersion) found = cls;
    } catch {
      found = undefined;
    }
  }
  modelCache.set(key, found);
  return found;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function metadataProblems(object: KubeObject): string[] {
  const m = object.metadata;
  if (!m || typeof m.name !== 'string') return ['metadata.name is required'];
  const out: string[] = [];
  if (m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name)) out.push(`metadata.name "${m.name}" is not a DNS-1123 subdomain`);
  if (m.namespace !== undefined && (m.namespace.length > 63 || !DNS_LABEL.test(m.namespace))) out.push(`metadata.namespace "${m.namespace}" is not a DNS-1123 label`);
  for (const [key, value] of Object.entries(m.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) out.push(`metadata.labels["${key}"] has an invalid value "${String(value)}"`);
  }
  return out;
}

const fieldPath = (instancePath: string) => instancePath.slice(1).replace(/\/([0-9]+)(?=\/|$)/g, '[$1]').replace(/\//g, '.') || '(root)';

function ajvMessages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') return `${fieldPath(e.instancePath)}: unknown field "${String(params.additionalProperty)}"`;
    return `${fieldPath(e.instancePath)}: ${e.message ?? 'is invalid'}`;
  });
}

/** Problems of one object against its schema; CEL counts go to `stats`. */
function validateOne(object: KubeObject, stats: CelStats): string[] {
  const messages = metadataProblems(object);
  const crd = crdKinds().get(`${object.apiVersion}/${object.kind}`);
  if (crd) {
    const errors = crd.validate(object);
    if (errors.length > 0) return [...messages, ...ajvMessages(errors)];
    return [...messages, ...evaluateCelRules(object, crd.schema, stats).map((v) => `${v.path || '(root)'}: ${v.message}`)];
  }
  const cls = modelClass(object.apiVersion, object.kind);
  if (!cls) return [...messages, `unknown kind ${object.kind} (${object.apiVersion}): no schema to validate it against`];
  try {
    // The model's validate() checks `this`; calling it on the plain object skips a deep copy per object.
    (cls.prototype.validate as (this: unknown) => void).call(object);
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    messages.push(...(errors ? ajvMessages(errors) : [(error as Error).message]));
  }
  return messages;
}

/** Validates objects and returns the problems plus the CEL evaluation counts. */
export function validateObjectsWithStats(objects: KubeObject[]): { problems: Problem[]; cel: CelStats } {
  const stats = newCelStats();
  const problems: Problem[] = [];
  for (const object of objects) {
    const where = objectRef(object);
    for (const message of validateOne(object, stats)) problems.push({ where, message });
  }
  return { problems, cel: stats };
}

/** Validates every object against the schema of its kind (and the CRD CEL rules). */
export function validateObjects(objects: KubeObject[]): Problem[] {
  return validateObjectsWithStats(objects).problems;
}
