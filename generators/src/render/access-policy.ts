/**
 * Who may call what, per server (the registry's `access`): an AgentgatewayPolicy on the server's route and one on
 * its backend, as agentgateway v1.4.1 enforces them. The route policy admits the callers any grant names
 * (`traffic.authorization`), hands the verified caller to the server (`traffic.transformation`, which overwrites a
 * copy a client sent) and words the refusals a client can act on (`traffic.directResponse`: the scope challenge,
 * then one 403 per group of tools) and holds the route's limits (`traffic.rateLimit.local`, `traffic.buffer`).
 * The backend policy decides, per tool, who sees and calls it (`backend.mcp.authorization`), among the tools its
 * lock names.
 *
 * v1.4.1 keeps one policy's value per field of a route (`store/binds.rs`, `route_policies`): the fields set here are
 * set by no other policy (the cross-object check refuses a second one).
 */
import { FIXED, serverNames } from '../names.ts';
import { mergeLimits } from '../registry/environments.ts';
import type { Limits, Registry, Server } from '../registry/types.ts';
import { routeAuthorization, toolAuthorization, toolRefusals } from './access-rules.ts';
import { insufficientScopeResponse } from './auth-policy.ts';
import { serverBodyLimit } from './node-runtime.ts';
import { sourceOf } from './placed.ts';
import { lockedToolCondition } from './tool-lock.ts';
import { metadata, type Identity, type KubeObject } from './meta.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

/** Labels of the route policy (overlays select it to patch the environment's scope) and of the tool policy. */
const accessId = (server: Server): Identity => ({ name: server.name, component: 'access' });
const toolAccessId = (server: Server): Identity => ({ name: server.name, component: 'tool-access' });

/**
 * The caller the servers log and scope cancellation by: the token's object id (people and applications alike).
 * If the expression failed, v1.4.1 removes the header instead of leaving a client's copy (`http/mod.rs`,
 * `apply_header`): a client can never choose the value.
 */
export const CALLER_EXPRESSION = 'has(jwt.oid) ? jwt.oid : jwt.sub';

/** The limits of a server's route: its own over the registry's, the body bound defaulting to the server's own. */
export function routeLimits(server: Server, registry: Pick<Registry, 'limits'>): Required<Limits> {
  const limits = mergeLimits(registry.limits, server.limits);
  return { rateLimit: limits.rateLimit, maxRequestBytes: limits.maxRequestBytes ?? serverBodyLimit(server) };
}

/**
 * `traffic.rateLimit` and `traffic.buffer` of a route. v1.4.1 applies them after JWT and authorization
 * (`proxy/httpproxy.rs`, `apply_request_policies`), so only admitted callers spend the bucket; the buffer answers
 * 413 past `maxBytes` (FailClosed, `http/buffer.rs`) and sets the most its MCP handler reads of a message. No
 * `timeouts`: a request timeout would cut long-lived streams.
 */
function limitFields(server: Server, registry: Registry) {
  const { rateLimit, maxRequestBytes } = routeLimits(server, registry);
  return {
    rateLimit: { local: [{ requests: rateLimit.requests, unit: rateLimit.unit, burst: rateLimit.burst }] },
    buffer: { request: { maxBytes: maxRequestBytes } },
  };
}

/** AgentgatewayPolicy `<name>-access` on HTTPRoute `<name>`. */
export function renderRouteAccessPolicy(server: Server, registry: Registry): KubeObject {
  const names = serverNames(server.name);
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(names.accessPolicy, registry.namespace, accessId(server)),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: names.route }],
      traffic: {
        authorization: routeAuthorization(server),
        transformation: { request: { set: [{ name: FIXED.callerHeader, value: CALLER_EXPRESSION }] } },
        directResponse: { conditional: [insufficientScopeResponse(registry.auth), ...toolRefusals(server, server.toolLock.tools.map((tool) => tool.name))] },
        ...limitFields(server, registry),
      },
    },
  };
}

/** AgentgatewayPolicy `<name>-tool-access` on AgentgatewayBackend `<name>-backend`. */
export function renderToolAccessPolicy(server: Server, registry: Registry): KubeObject {
  const names = serverNames(server.name);
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(names.toolAccessPolicy, registry.namespace, toolAccessId(server)),
    spec: {
      targetRefs: [{ group: 'agentgateway.dev', kind: 'AgentgatewayBackend', name: names.backend }],
      backend: { mcp: { authorization: toolAuthorization(server, lockedToolCondition(server.toolLock)) } },
    },
  };
}
