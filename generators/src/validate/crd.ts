/**
 * The agentgateway CRDs (v1.4.1) beside the project at `../shared/crds/agentgateway-v1.4.1/` (override with
 * AGENTGATEWAY_CRDS_DIR): their openAPIV3Schema compiled with ajv. Unknown fields are errors, as with
 * `kubectl apply --validate=strict` (the API server would silently prune them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** A JSON schema node as found in a CRD. */
export type SchemaNode = Record<string, unknown>;

/** One served version of a CRD kind. */
export interface CrdKind {
  apiVersion: string;
  kind: string;
  schema: SchemaNode;
  validate: ValidateFunction;
}

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** Folder of the CRD files. */
export function crdDir(): string {
  return process.env.AGENTGATEWAY_CRDS_DIR ?? resolve(REPO_ROOT, '../shared/crds/agentgateway-v1.4.1');
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

let cache: Map<string, CrdKind> | undefined;

/** `apiVersion/kind` → compiled CRD kind, for every CRD file in the folder. Throws when the folder is missing. */
export function crdKinds(): Map<string, CrdKind> {
  if (cache) return cache;
  const dir = crdDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    throw new Error(`agentgateway CRDs not found at ${dir} (set AGENTGATEWAY_CRDS_DIR)`);
  }
  const ajv = newAjv();
  const kinds = new Map<string, CrdKind>();
  for (const file of files) {
    const crd = parse(readFileSync(join(dir, file), 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: SchemaNode } }[] };
    };
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const apiVersion = `${crd.spec.group}/${version.name}`;
      const schema = version.schema.openAPIV3Schema;
      const kind = crd.spec.names.kind;
      // Compiled lazily: the first object of a kind pays for it, kinds never seen cost nothing.
      let compiled: ValidateFunction | undefined;
      const validate = ((data: unknown) => {
        compiled ??= ajv.compile(strictCopy(schema));
        const ok = compiled(data);
        validate.errors = compiled.errors;
        return ok;
      }) as ValidateFunction;
      kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind, schema, validate });
    }
  }
  cache = kinds;
  return kinds;
}
