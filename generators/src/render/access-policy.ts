/**
 * Who may call what, per server (the registry's `access`): an AgentgatewayPolicy on the server's route and one on
 * its backend, as agentgateway v1.4.1 enforces them. The route policy admits the callers any grant names
 * (`traffic.authorization`), hands the verified caller to the server (`traffic.transformation`, which overwrites a
 * copy a client sent) and words the refusals a client can act on (`traffic.directResponse`: the scope challenge,
 * then one 403 per group of tools). The backend policy decides, per tool, who sees and calls it
 * (`backend.mcp.authorization`).
 */
import { FIXED, serverNames } from '../names.ts';
import type { Registry, Server } from '../registry/types.ts';
import { routeAuthorization, toolAuthorization, toolRefusals } from './access-rules.ts';
import { insufficientScopeResponse } from './auth-policy.ts';
import { sourceOf } from './placed.ts';
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
        directResponse: { conditional: [insufficientScopeResponse(registry.auth), ...toolRefusals(server)] },
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
      backend: { mcp: { authorization: toolAuthorization(server) } },
    },
  };
}
