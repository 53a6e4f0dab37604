/**
 * The program's Kubernetes writes: owned keys of a Secret (read for resourceVersion, then a merge patch
 * that carries it, so a concurrent writer causes 409 and a re-read), and a rollout restart of a workload
 * (the pod-template annotation `kubectl rollout restart` sets). Every call and its RBAC need are listed
 * in `requiredPermissions`, which the contract test compares with the rendered Role.
 */
import {
  ApiException,
  AppsV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  Observable,
  PatchStrategy,
  type V1Secret,
} from '@kubernetes/client-node';
import type { Logger } from '@mcp-gateway/telemetry';
import type { Config, RestartKind, RestartTarget } from './config.ts';
import { EXIT_CODES, RefreshError } from './errors.ts';
import { DEFAULT_RETRY_TIMING, parseRetryAfter, type RetryDecision, type RetryPolicy, type Sleep, withRetry } from './retry.ts';

/** The API clients the program uses. */
export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
}

export function createKubeApis(kubeConfig: KubeConfig): KubeApis {
  return { core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api) };
}

/** One RBAC rule the program needs (namespaced, by resource name). */
export interface Permission {
  apiGroup: string;
  resource: string;
  resourceName: string;
  verbs: string[];
}

const WORKLOAD_RESOURCE: Record<RestartKind, string> = { StatefulSet: 'statefulsets', Deployment: 'deployments' };

/** Every verb the program uses, on what: get + patch on both Secrets, and on the restart target when set. */
export function requiredPermissions(config: Pick<Config, 'credentialsSecretName' | 'accessTokenSecretName' | 'restart'>): Permission[] {
  const permissions: Permission[] = [
    { apiGroup: '', resource: 'secrets', resourceName: config.credentialsSecretName, verbs: ['get', 'patch'] },
    { apiGroup: '', resource: 'secrets', resourceName: config.accessTokenSecretName, verbs: ['get', 'patch'] },
  ];
  if (config.restart) {
    permissions.push({ apiGroup: 'apps', resource: WORKLOAD_RESOURCE[config.restart.kind], resourceName: config.restart.name, verbs: ['get', 'patch'] });
  }
  return permissions;
}

/** How Kubernetes calls are made: per-request timeout and bounded retries. */
export interface KubeCallOptions {
  namespace: string;
  timeoutMs: number;
  policy: RetryPolicy;
  log: Logger;
  sleep?: Sleep;
  random?: () => number;
}

/** Retry timing for Kubernetes calls: conflicts resolve fast, so start at 100 ms. */
export function kubeRetryPolicy(maxAttempts: number): RetryPolicy {
  return { ...DEFAULT_RETRY_TIMING, baseDelayMs: 100, maxAttempts };
}

/** Per-call client options: a timeout signal, and optionally the patch Content-Type. */
function callOptions(timeoutMs: number, contentType?: string): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (request) => {
          request.setSignal(AbortSignal.timeout(timeoutMs));
          // Without this the client picks application/json-patch+json, which an object body is not.
          if (contentType) request.setHeaderParam('Content-Type', contentType);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** What was being done, for error messages that name the RBAC rule. */
interface Operation {
  verb: 'get' | 'patch';
  resource: string;
  name: string;
  namespace: string;
}

/** Reads the Kubernetes `Status` message of an error body, never anything else of it. */
function statusMessage(body: unknown): string | undefined {
  try {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

function isTimeoutOrNetwork(error: unknown): string | undefined {
  if (error instanceof ApiException) return undefined;
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (error instanceof TypeError) return typeof cause?.code === 'string' ? `network-${cause.code}` : 'network-error';
  return undefined;
}

/** Which Kubernetes failures are worth another attempt (409 re-reads; 429, 5xx, network, timeout wait). */
export function classifyKubeError(error: unknown): RetryDecision {
  if (error instanceof ApiException) {
    const code = error.code;
    if (code === 409) return { retry: true, reason: 'conflict' };
    if (code === 429 || code >= 500) {
      const retryAfterMs = parseRetryAfter(error.headers?.['retry-after']);
      return { retry: true, reason: `status-${code}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { retry: false, reason: `status-${code}` };
  }
  const network = isTimeoutOrNetwork(error);
  return network ? { retry: true, reason: network } : { retry: false, reason: 'unexpected' };
}

function kindOf(operation: Operation): string {
  return operation.resource === 'secrets' ? 'Secret' : operation.resource === 'statefulsets' ? 'StatefulSet' : 'Deployment';
}

/** Turns a final Kubernetes failure into an explained RefreshError (exit 5). */
export function explainKubeError(error: unknown, operation: Operation): RefreshError {
  const what = `${kindOf(operation)} "${operation.name}" in namespace "${operation.namespace}"`;
  const group = operation.resource === 'secrets' ? '""' : '"apps"';
  if (error instanceof ApiException) {
    const detail = statusMessage(error.body);
    const suffix = detail ? ` (${detail})` : '';
    switch (error.code) {
      case 401:
        return new RefreshError(EXIT_CODES.kubernetes, 'unauthorized', `Kubernetes rejected the ServiceAccount token (401) on ${operation.verb} ${what}: is the token mounted (automountServiceAccountToken: true)?${suffix}`, { cause: error });
      case 403:
        return new RefreshError(
          EXIT_CODES.kubernetes,
          'forbidden',
          `Kubernetes forbade ${operation.verb} on ${what} (403): the Role bound to the CronJob's ServiceAccount must allow ` +
            `verb "${operation.verb}" on apiGroup ${group} resource "${operation.resource}" with resourceNames ["${operation.name}"]${suffix}`,
          { cause: error },
        );
      case 404:
        return new RefreshError(
          EXIT_CODES.kubernetes,
          'not-found',
          operation.resource === 'secrets'
            ? `${what} does not exist (404): create it at install time (kubectl -n ${operation.namespace} create secret generic ${operation.name} ...); ` +
                'the refresher only gets and patches it, because RBAC cannot allow "create" by resource name'
            : `${what} does not exist (404): check RESTART_KIND and RESTART_NAME (the registry's restart target)`,
          { cause: error },
        );
      case 409:
        return new RefreshError(EXIT_CODES.kubernetes, 'conflict', `${what} kept changing under concurrent writers (409 on every attempt)`, { cause: error });
      default:
        return new RefreshError(EXIT_CODES.kubernetes, `status-${error.code}`, `Kubernetes answered ${error.code} to ${operation.verb} ${what}${suffix}`, { cause: error });
    }
  }
  const network = isTimeoutOrNetwork(error);
  if (network) return new RefreshError(EXIT_CODES.kubernetes, network, `Kubernetes API unreachable on ${operation.verb} ${what} (${network})`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new RefreshError(EXIT_CODES.kubernetes, 'client-error', `Kubernetes client failed on ${operation.verb} ${what}: ${message}`, { cause: error });
}

/** Runs one step (a GET then a PATCH) with retries; tracks the current operation for the error message. */
async function retried<T>(options: KubeCallOptions, step: (track: (operation: Operation) => void) => Promise<T>): Promise<T> {
  let current: Operation | undefined;
  const track = (operation: Operation) => {
    current = operation;
  };
  try {
    return await withRetry(() => step(track), {
      policy: options.policy,
      classify: classifyKubeError,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
      onRetry: ({ attempt, delayMs, reason }) => options.log.warn({ ...current, attempt, delayMs, reason }, 'kube.retry'),
    });
  } catch (error) {
    if (error instanceof RefreshError || current === undefined) throw error;
    throw explainKubeError(error, current);
  }
}

function decode(secret: V1Secret, key: string): string | undefined {
  const value = secret.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

/** The result of writing a Secret's owned keys. */
export interface SecretWrite {
  /** False when every key already had the wanted value (nothing was sent). */
  patched: boolean;
  /** The keys' values before the write (undefined when absent). */
  previous: Record<string, string | undefined>;
}

/**
 * Sets `values` in the Secret `name`, leaving its other keys alone. GET (for resourceVersion and the
 * current values), then a merge patch of `data` carrying `metadata.resourceVersion`: a concurrent write
 * in between makes the API answer 409, and the next attempt reads again. Skips the PATCH when nothing
 * would change, so a repeated run writes nothing.
 */
export async function writeSecretKeys(apis: KubeApis, name: string, values: Record<string, string>, options: KubeCallOptions): Promise<SecretWrite> {
  const { namespace, timeoutMs, log } = options;
  return retried(options, async (track) => {
    track({ verb: 'get', resource: 'secrets', name, namespace });
    const secret = await apis.core.readNamespacedSecret({ name, namespace }, callOptions(timeoutMs));
    const previous = Object.fromEntries(Object.keys(values).map((key) => [key, decode(secret, key)]));
    if (Object.entries(values).every(([key, value]) => previous[key] === value)) {
      log.info({ secret: name, keys: Object.keys(values) }, 'kube.secret_unchanged');
      return { patched: false, previous };
    }
    const started = performance.now();
    track({ verb: 'patch', resource: 'secrets', name, namespace });
    const data = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]));
    await apis.core.patchNamespacedSecret(
      { name, namespace, body: { metadata: { resourceVersion: secret.metadata?.resourceVersion }, data } },
      callOptions(timeoutMs, PatchStrategy.MergePatch),
    );
    log.info({ secret: name, keys: Object.keys(values), durationMs: Math.round(performance.now() - started) }, 'kube.secret_patched');
    return { patched: true, previous };
  });
}

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** RFC 3339 in UTC without fractional seconds, as kubectl writes it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What happened to the restart target. */
export type RestartResult = 'restarted' | 'skipped-paused';

/**
 * Rolls the workload's pods like `kubectl rollout restart`: GET (a paused Deployment is left alone, as
 * kubectl refuses it), then a merge patch of the pod-template annotation only, so other annotations stay.
 */
export async function restartWorkload(apis: KubeApis, target: RestartTarget, at: Date, options: KubeCallOptions): Promise<RestartResult> {
  const { namespace, timeoutMs, log } = options;
  const resource = WORKLOAD_RESOURCE[target.kind];
  const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(at) } } } } };
  return retried(options, async (track) => {
    track({ verb: 'get', resource, name: target.name, namespace });
    if (target.kind === 'Deployment') {
      const deployment = await apis.apps.readNamespacedDeployment({ name: target.name, namespace }, callOptions(timeoutMs));
      if (deployment.spec?.paused) {
        log.warn({ kind: target.kind, name: target.name, reason: 'deployment is paused' }, 'kube.restart_skipped');
        return 'skipped-paused';
      }
      track({ verb: 'patch', resource, name: target.name, namespace });
      await apis.apps.patchNamespacedDeployment({ name: target.name, namespace, body }, callOptions(timeoutMs, PatchStrategy.MergePatch));
    } else {
      const statefulSet = await apis.apps.readNamespacedStatefulSet({ name: target.name, namespace }, callOptions(timeoutMs));
      if (statefulSet.spec?.updateStrategy?.type === 'OnDelete') {
        log.warn({ kind: target.kind, name: target.name, reason: 'updateStrategy OnDelete: pods change only when deleted' }, 'kube.restart_ondelete');
      }
      track({ verb: 'patch', resource, name: target.name, namespace });
      await apis.apps.patchNamespacedStatefulSet({ name: target.name, namespace, body }, callOptions(timeoutMs, PatchStrategy.MergePatch));
    }
    log.info({ kind: target.kind, name: target.name }, 'kube.workload_restarted');
    return 'restarted';
  });
}
