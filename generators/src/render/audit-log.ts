/**
 * The audit trail is the gateway's access log: agentgateway v1.4.1 writes one `request` line per request
 * (`telemetry/log.rs`: route, method, path, status, `mcp.method.name`, `gen_ai.tool.name`, `reason`, ...), and
 * `frontend.accessLog.attributes` adds CEL fields to it. These name the caller, the server, the JSON-RPC method and
 * tool, and the decision; never the token or the tool's arguments. `AgentgatewayParameters.logging.format: json`
 * makes each line one JSON object.
 */
import { FIXED } from '../names.ts';
import type { Registry } from '../registry/types.ts';
import { sourceOf } from './placed.ts';
import { metadata, type KubeObject } from './meta.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

const BODY = 'json(request.body)';

/**
 * The fields every line gains. A field whose expression fails (no token, no JSON body) is left out, as v1.4.1
 * does. The method and tool come from the JSON-RPC body: v1.4.1 has it for every request its MCP handler read
 * and for every request of a route whose rules read it (it buffers the body then, `cel/mod.rs`
 * `maybe_buffer_request_body`), which includes every tool call a route refuses by name.
 */
export function auditAttributes(registry: Pick<Registry, 'auth'>): { name: string; expression: string }[] {
  const client = registry.auth.tokenVersion === 1 ? 'jwt.appid' : 'jwt.azp';
  return [
    { name: 'caller.type', expression: 'has(jwt.scp) ? "user" : "application"' },
    { name: 'caller.oid', expression: 'jwt.oid' },
    { name: 'caller.name', expression: 'jwt.preferred_username' },
    { name: 'caller.appid', expression: client },
    { name: 'mcp.server', expression: 'proxy.route.name' },
    { name: 'mcp.method', expression: `${BODY}.method` },
    { name: 'mcp.tool', expression: `${BODY}.method == "tools/call" ? ${BODY}.params.name : null` },
    { name: 'access.decision', expression: 'response.code == 401 ? "unauthenticated" : response.code == 403 ? "denied" : "allowed"' },
  ];
}

/** AgentgatewayPolicy `mcp-access-log` on the Gateway: the audit fields of every request line. */
export function renderAccessLogPolicy(registry: Registry): KubeObject {
  return {
    apiVersion: 'agentgateway.dev/v1alpha1',
    kind: 'AgentgatewayPolicy',
    metadata: metadata(FIXED.accessLogPolicy, registry.namespace, { name: FIXED.accessLogPolicy, component: 'gateway' }),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: registry.gateway.name }],
      frontend: { accessLog: { attributes: { add: auditAttributes(registry) } } },
    },
  };
}

/** The proxy's log format (AgentgatewayParameters `logging`, proxy-parameters.ts): one JSON object per line. */
export const PROXY_LOGGING = { format: 'json' } as const;
