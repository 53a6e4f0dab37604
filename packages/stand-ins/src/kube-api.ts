/**
 * Stands in for the Kubernetes API server, for the calls the refresher makes. It follows the
 * documented REST contract: `GET`, `PATCH` (application/merge-patch+json, RFC 7396) and `PUT` of
 * `/api/v1/namespaces/{ns}/secrets/{name}`, and `GET`/`PATCH` of `/apis/apps/v1/namespaces/{ns}/
 * {statefulsets|deployments}/{name}`. Writes bump `metadata.resourceVersion`; a PATCH or PUT that carries
 * a stale resourceVersion gets 409 Conflict; a missing object 404; bearer-token authentication (401);
 * and, when `rules` are given, RBAC by resourceNames (403 with the API server's message shape). Errors
 * are `Status` objects. Requests are recorded; `beforeAnswer` lets a test act as a concurrent writer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.ts';

/** A stored object (Secret, StatefulSet or Deployment), as JSON: the generators' one declaration of the type. */
export type { KubeObject } from '../../../generators/src/index.ts';
import type { KubeObject } from '../../../generators/src/index.ts';

/** One request as the stand-in saw it. */
export interface RecordedKubeRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
  status: number;
}

/** An RBAC rule by resource name (what a namespaced Role with resourceNames grants). */
export interface RbacRule {
  apiGroup: string;
  resource: string;
  resourceName: string;
  verbs: string[];
}

export interface KubeApiOptions {
  namespace: string;
  token: string;
  /** When set, only these are allowed; otherwise everything is. */
  rules?: RbacRule[];
}

export interface KubeApi {
  url: string;
  token: string;
  requests: RecordedKubeRequest[];
  /** Objects by `<resource>/<name>` (resource: secrets, statefulsets, deployments). */
  objects: Map<string, KubeObject>;
  rules: RbacRule[] | undefined;
  /**
   * Called once a request has been handled and its answer computed, before the answer is sent: a test
   * acting as a concurrent writer changes objects here, so the client's next request sees the change.
   */
  beforeAnswer: ((request: RecordedKubeRequest) => Promise<void> | void) | undefined;
  /** Answers the next matching requests with this status (before normal handling); `'hang'` never answers. */
  failNext(match: { method: string; path: string }, status: number | 'hang', times?: number, headers?: Record<string, string>): void;
  putSecret(name: string, data: Record<string, string>, extra?: Partial<KubeObject>): void;
  putWorkload(resource: 'statefulsets' | 'deployments', object: KubeObject): void;
  /** The Secret's data, base64-decoded. */
  secretData(name: string): Record<string, string> | undefined;
  close(): Promise<void>;
}

const ROUTE = /^\/(?:api\/v1|apis\/(apps)\/v1)\/namespaces\/([^/]+)\/(secrets|statefulsets|deployments)\/([^/]+)$/;
const VERBS: Record<string, string> = { GET: 'get', PATCH: 'patch', PUT: 'update' };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The API server turns write-only stringData into base64 data on every write. */
function normalizeSecret(object: KubeObject): KubeObject {
  const { stringData, ...rest } = object as KubeObject & { stringData?: Record<string, string> };
  if (!stringData) return rest as KubeObject;
  const data = { ...((rest.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  return { ...rest, data } as KubeObject;
}

function status(code: number, reason: string, message: string, details: Record<string, string>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}


export async function startKubeApi(options: KubeApiOptions): Promise<KubeApi> {
  const objects = new Map<string, KubeObject>();
  const requests: RecordedKubeRequest[] = [];
  const failures: { method: string; path: string; status: number | 'hang'; times: number; headers: Record<string, string> }[] = [];
  let resourceVersion = 1000;
  const nextVersion = () => String(++resourceVersion);

  const api: KubeApi = {
    url: '',
    token: options.token,
    requests,
    objects,
    rules: options.rules,
    beforeAnswer: undefined,
    failNext: (match, code, times = 1, headers = {}) => failures.push({ ...match, status: code, times, headers }),
    putSecret: (name, data, extra = {}) => {
      const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
      objects.set(`secrets/${name}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        ...extra,
        metadata: { name, namespace: options.namespace, resourceVersion: nextVersion() },
        data: encoded,
      });
    },
    putWorkload: (resource, object) => {
      objects.set(`${resource}/${object.metadata.name}`, { ...object, metadata: { ...object.metadata, namespace: options.namespace, resourceVersion: nextVersion() } });
    },
    secretData: (name) => {
      const secret = objects.get(`secrets/${name}`);
      if (!secret) return undefined;
      const data = (secret.data as Record<string, string> | undefined) ?? {};
      return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const answer = async (record: RecordedKubeRequest, response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    record.status = code;
    const text = JSON.stringify(body); // the object as it is now, before any concurrent write
    await api.beforeAnswer?.(record);
    response.writeHead(code, { 'content-type': 'application/json', ...headers });
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse, record: RecordedKubeRequest): Promise<void> => {
    const method = request.method ?? '';
    const path = record.path;
    const match = ROUTE.exec(path);
    if (!match) return answer(record, response, 404, status(404, 'NotFound', `the server could not find the requested resource`, {}));
    const [, group = '', namespace = '', resource = '', name = ''] = match;
    const details = { name, kind: resource };

    if (request.headers.authorization !== `Bearer ${options.token}`) return answer(record, response, 401, status(401, 'Unauthorized', 'Unauthorized', {}));

    const verb = VERBS[method];
    if (!verb) return answer(record, response, 405, status(405, 'MethodNotAllowed', `method ${method} not allowed`, details));
    if ((resource === 'secrets') !== (group === '')) return answer(record, response, 404, status(404, 'NotFound', 'the server could not find the requested resource', details));
    if (api.rules && !api.rules.some((rule) => rule.apiGroup === group && rule.resource === resource && rule.resourceName === name && rule.verbs.includes(verb))) {
      return answer(
        record,
        response,
        403,
        status(
          403,
          'Forbidden',
          `${resource} "${name}" is forbidden: User "system:serviceaccount:${namespace}:token-refresher" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${namespace}"`,
          details,
        ),
      );
    }
    const failure = failures.find((f) => f.method === method && f.path === path && f.times > 0);
    if (failure) {
      failure.times--;
      if (failure.status === 'hang') return; // the client's timeout must fire
      return answer(record, response, failure.status, status(failure.status, 'Scripted', `scripted ${failure.status}`, details), failure.headers);
    }
    if (namespace !== options.namespace) return answer(record, response, 404, status(404, 'NotFound', `${resource} "${name}" not found`, details));

    const key = `${resource}/${name}`;
    const current = objects.get(key);
    if (!current) return answer(record, response, 404, status(404, 'NotFound', `${resource} "${name}" not found`, details));
    if (method === 'GET') return answer(record, response, 200, current);

    if (method === 'PATCH' && record.contentType !== 'application/merge-patch+json') {
      return answer(record, response, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`, details));
    }
    if (!isObject(record.body)) return answer(record, response, 400, status(400, 'BadRequest', 'the body must be a JSON object', details));
    const wantedVersion = isObject(record.body.metadata) ? record.body.metadata.resourceVersion : undefined;
    if (wantedVersion !== undefined && wantedVersion !== current.metadata.resourceVersion) {
      return answer(
        record,
        response,
        409,
        status(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`, details),
      );
    }
    let next = (method === 'PATCH' ? mergePatch(current, record.body) : record.body) as KubeObject;
    if (resource === 'secrets') next = normalizeSecret(next);
    next = { ...next, metadata: { ...next.metadata, name, namespace, resourceVersion: nextVersion() } };
    objects.set(key, next);
    return answer(record, response, 200, next);
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text: a malformed body is recorded as it came
      }
      const record: RecordedKubeRequest = {
        method: request.method ?? '',
        path: new URL(request.url ?? '/', 'http://x').pathname,
        contentType: request.headers['content-type'],
        body,
        status: 0,
      };
      requests.push(record);
      await handle(request, response, record);
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status(500, 'InternalError', String(error), {})));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
