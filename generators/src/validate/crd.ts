/**
 * The agentgateway CRDs the generators target, kept in the repository at `generators/crds/agentgateway-<version>/`
 * (`scripts/refresh-crds.ts` fetches another release): their openAPIV3Schema compiled with ajv. Unknown fields
 * are errors, as with `kubectl apply --validate=strict` (the API server would silently prune them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';

/** A JSON schema node as found in a CRD. */
export type SchemaNode = Record<string, unknown>;

/** One served version of a CRD kind. */
export interface CrdKind {
  apiVersion: string;
  kind: string;
  schema: SchemaNode;
  /** Schema errors of an object of this kind (empty when valid). */
  validate(data: unknown): ErrorObject[];
}

/** The agentgateway release whose CRDs the rendered objects are validated against (servers.json `controlPlane`). */
export const AGENTGATEWAY_CRDS_VERSION = 'v1.4.1';

/** Folder of the CRD files of `version` in the repository. */
export function crdDir(version = AGENTGATEWAY_CRDS_VERSION): string {
  return resolve(import.meta.dirname, '../../crds', `agentgateway-${version}`);
}

/** Copy of a schema where objects with `properties` reject unknown fields (unless they preserve them). */
function strictCopy(schema: SchemaNode): SchemaNode {
  const out: SchemaNode = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, SchemaNode>).map(([k, v]) => [k, strictCopy(v)]));
    if (schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  }
  if (schema.items && typeof schema.items === 'object') out.items = strictCopy(schema.items as SchemaNode);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.additionalProperties = strictCopy(schema.additionalProperties as SchemaNode);
  return out;
}

function newAjv(): Ajv {
  // optimize: false halves the compile time of these large schemas; validation stays fast enough.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, logger: false, code: { optimize: false } });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  return ajv;
}

/**
 * A validator that compiles each top-level `spec` field's schema only when an object uses that field: the CRDs
 * are large (AI providers, guardrails ...) and compiling them whole costs far more memory than validating.
 */
function lazyValidator(ajv: Ajv, schema: SchemaNode): (data: unknown) => ErrorObject[] {
  const spec = (schema.properties as Record<string, SchemaNode> | undefined)?.spec;
  const fields = (spec?.properties ?? {}) as Record<string, SchemaNode>;
  const shell = { ...schema, properties: { ...(schema.properties as object), spec: { ...spec, properties: Object.fromEntries(Object.keys(fields).map((k) => [k, {}])) } } };
  let shellValidate: ValidateFunction | undefined;
  const fieldValidators = new Map<string, ValidateFunction>();
  return (data) => {
    shellValidate ??= ajv.compile(strictCopy(shell));
    const errors: ErrorObject[] = shellValidate(data) ? [] : [...(shellValidate.errors ?? [])];
    const specData = (data as { spec?: unknown } | null)?.spec;
    if (specData === null || typeof specData !== 'object' || Array.isArray(specData)) return errors;
    for (const [field, value] of Object.entries(specData)) {
      if (!fields[field]) continue;
      let validate = fieldValidators.get(field);
      if (!validate) fieldValidators.set(field, (validate = ajv.compile(strictCopy(fields[field]))));
      if (!validate(value)) errors.push(...(validate.errors ?? []).map((e) => ({ ...e, instancePath: `/spec/${field}${e.instancePath}` })));
    }
    return errors;
  };
}

let cache: Map<string, CrdKind> | undefined;

/** `apiVersion/kind` → CRD kind, for every CRD file in the folder. Throws when the folder is missing. */
export function crdKinds(): Map<string, CrdKind> {
  if (cache) return cache;
  const dir = crdDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    throw new Error(`agentgateway CRDs not found at ${dir} (node scripts/refresh-crds.ts ${AGENTGATEWAY_CRDS_VERSION} fetches them)`);
  }
  const ajv = newAjv();
  const kinds = new Map<string, CrdKind>();
  for (const file of files) {
    const crd = load(readFileSync(join(dir, file), 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: SchemaNode } }[] };
    };
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const apiVersion = `${crd.spec.group}/${version.name}`;
      const schema = version.schema.openAPIV3Schema;
      kinds.set(`${apiVersion}/${crd.spec.names.kind}`, { apiVersion, kind: crd.spec.names.kind, schema, validate: lazyValidator(ajv, schema) });
    }
  }
  cache = kinds;
  return kinds;
}
