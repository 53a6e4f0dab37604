/**
 * The strategic merge patch the agentgateway v1.4.1 controller applies with AgentgatewayParameters'
 * `deployment.spec` to the Deployment it renders (controller/pkg/deployer/strategicpatch, over
 * k8s.io/apimachinery's strategicpatch), for the pod fields this repository sets: maps merge key by key, `null`
 * deletes, lists of a pod spec with a merge key (containers, volumes, env... by name) merge item by item, any other
 * list is replaced. Directives (`$patch`, `$retainKeys`) are refused: nothing here uses them.
 */

/** Merge keys of the pod-spec lists (the `patchMergeKey` tags of k8s.io/api core/v1). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  tolerations: 'key',
  imagePullSecrets: 'name',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function strategicMerge(base: unknown, patch: unknown, field = ''): unknown {
  if (isRecord(patch) && Object.keys(patch).some((k) => k.startsWith('$'))) throw new Error(`strategic merge directive ${Object.keys(patch).find((k) => k.startsWith('$'))} is not modelled`);
  if (isRecord(base) && isRecord(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value, key) : value;
    }
    return out;
  }
  const mergeKey = MERGE_KEYS[field];
  if (Array.isArray(base) && Array.isArray(patch) && mergeKey) {
    const out = [...base];
    for (const item of patch) {
      const at = out.findIndex((b) => isRecord(b) && isRecord(item) && b[mergeKey] === item[mergeKey]);
      if (at >= 0) out[at] = strategicMerge(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return patch;
}
