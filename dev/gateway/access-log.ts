/**
 * The access log line agentgateway v1.4.1 writes at the end of each request (`telemetry/log.rs`, the `request`
 * event ~L1353–1600, JSON with `logging.format: json`): some of its default fields, then the Gateway's
 * `frontend.accessLog.attributes`, each a CEL expression over the request, the verified claims, the response,
 * the MCP exchange and the proxy (a field whose expression fails or yields null is left out; an attribute with the
 * name of a default field replaces it). The default fields written here: `gateway`, `route`, `http.method`,
 * `http.path`, `http.status`, `jwt.sub`, `mcp.method.name`, `mcp.target`, `gen_ai.tool.name`, `reason`,
 * `duration`; v1.4.1 writes more (addresses, trace ids, ...). Never a header, a token or a body.
 */
import { toPlain } from '../../generators/src/validate/agentgateway-cel.ts';
import { celVariables, evaluate, holds } from './cel.ts';
import type { Exchange, GatewayContext } from './pipeline.ts';

/** The variables of log-time CEL: the request's, plus `response`, `mcp` and `proxy`. */
function logVariables(exchange: Exchange, status: number, gateway: GatewayContext): Record<string, unknown> {
  const route = exchange.route?.match;
  return {
    ...celVariables(exchange),
    response: { code: BigInt(status), headers: {} },
    ...(exchange.mcp ? { mcp: exchange.mcp } : {}),
    proxy: {
      gateway: { name: gateway.model.gateway, namespace: gateway.model.namespace },
      listener: { name: 'http' },
      ...(route ? { route: { name: route.route, namespace: route.routeNamespace, kind: 'HTTPRoute' } } : {}),
    },
    ...(route?.upstream.kind === 'mcp' ? { backend: { name: route.upstream.backend, type: 'mcp', protocol: 'mcp' } } : {}),
  };
}

/** The line for a finished request, or undefined when the access log's filter drops it. */
export function accessLogLine(exchange: Exchange, status: number, gateway: GatewayContext): string | undefined {
  const config = gateway.model.accessLog;
  const variables = logVariables(exchange, status, gateway);
  if (config?.filter && !holds(config.filter, variables)) return undefined;
  const route = exchange.route?.match;
  const fields: Record<string, unknown> = {
    level: 'info',
    scope: 'request',
    gateway: `${gateway.model.namespace}/${gateway.model.gateway}`,
    ...(route ? { route: `${route.routeNamespace}/${route.route}` } : {}),
    'http.method': exchange.req.method,
    'http.path': exchange.url.pathname,
    'http.status': status,
    ...(exchange.claims?.sub ? { 'jwt.sub': exchange.claims.sub } : {}),
    ...(exchange.mcp ? { 'mcp.method.name': exchange.mcp.methodName } : {}),
    ...(exchange.mcp?.tool ? { 'mcp.target': exchange.mcp.tool.target, 'gen_ai.tool.name': exchange.mcp.tool.name } : {}),
    reason: exchange.reason ?? 'Upstream',
    duration: `${Math.round(performance.now() - exchange.started)}ms`,
  };
  for (const { name, expression } of config?.attributes ?? []) {
    const value = evaluate(expression, variables);
    if (value === undefined || value === null) delete fields[name];
    else fields[name] = toPlain(value);
  }
  return JSON.stringify(fields);
}
