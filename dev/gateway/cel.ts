/**
 * The rendered policies' CEL, evaluated with @bufbuild/cel over the variables agentgateway v1.4.1 gives a request
 * policy (`schema/cel.md`: `request.*`, `jwt` = the verified claims). As in v1.4.1 (`store/policy.rs`
 * `RequestPolicy::select` ~L240, `http/filters.rs` `DirectResponse::apply` ~L301–345), a condition that fails to
 * evaluate counts as false and a header whose expression fails is left out.
 * Later policy kinds that use CEL (authorization, MCP tool rules, access-log fields) evaluate here too.
 */
import { isCelError, parse, plan, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { Answer, Exchange } from './pipeline.ts';

const env = celEnv({ funcs: [...strings] });
const compiled = new Map<string, ReturnType<typeof plan>>();

/** The value of `expression`, or `undefined` when it does not parse or fails to evaluate. */
export function evaluate(expression: string, variables: Record<string, unknown>): unknown {
  let run = compiled.get(expression);
  if (!run) {
    try {
      run = plan(env, parse(expression));
    } catch {
      return undefined;
    }
    compiled.set(expression, run);
  }
  try {
    const value = run(variables as never);
    return isCelError(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

/** `request` and `jwt` as v1.4.1's CEL sees them (headers by lower-case name, repeated values joined). */
export function celVariables(exchange: Exchange): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = exchange.url;
  return {
    request: {
      method: exchange.req.method ?? 'GET',
      scheme: 'http',
      host: exchange.req.headers.host ?? url.host,
      path: url.pathname,
      pathAndQuery: `${url.pathname}${url.search}`,
      uri: `http://${exchange.req.headers.host ?? url.host}${url.pathname}${url.search}`,
      version: `HTTP/${exchange.req.httpVersion}`,
      headers,
    },
    ...(exchange.claims ? { jwt: exchange.claims } : {}),
  };
}

/** The route's `traffic.directResponse`: the first entry whose condition holds answers the request. */
export function directResponse(exchange: Exchange): Answer | undefined {
  const rules = exchange.route?.match.directResponses;
  if (!rules?.length) return undefined;
  const variables = celVariables(exchange);
  const rule = rules.find((r) => r.condition === undefined || evaluate(r.condition, variables) === true);
  if (!rule) return undefined;
  const headers: Record<string, string> = {};
  for (const { name, value } of rule.headers) {
    const result = evaluate(value, variables);
    if (typeof result === 'string' && !/[\r\n\0]/.test(result)) headers[name.toLowerCase()] = result;
  }
  let body: string | undefined = rule.body;
  if (rule.bodyExpression !== undefined) {
    const result = evaluate(rule.bodyExpression, variables);
    body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  }
  return { status: rule.status, headers, ...(body !== undefined ? { body } : {}) };
}
