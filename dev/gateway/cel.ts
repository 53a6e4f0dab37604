/**
 * The rendered policies' CEL, evaluated over the variables agentgateway v1.4.1 gives each place (`schema/cel.md`:
 * `request.*`, `jwt` = the verified claims, `mcp.*`, `response.*` ...) with the generators' model of v1.4.1's CEL
 * (generators/src/validate/agentgateway-cel.ts, @bufbuild/cel with `json` and `toJson`), so what generate checks is
 * what the harness runs. As in v1.4.1 (`store/policy.rs` `RequestPolicy::select` ~L240, `http/filters.rs`
 * `DirectResponse::apply` ~L301–345), a condition that fails to evaluate counts as false and a header whose
 * expression fails is left out.
 */
import { evaluateCel, toPlain } from '../../generators/src/validate/agentgateway-cel.ts';
import type { Answer, Exchange } from './pipeline.ts';
import { errorAnswer } from './pipeline.ts';

/** The value of `expression`, or `undefined` when it does not parse or fails to evaluate. */
export function evaluate(expression: string, variables: Record<string, unknown>): unknown {
  const outcome = evaluateCel(expression, variables);
  return outcome.ok ? outcome.value : undefined;
}

/** True only when the expression evaluates to true (v1.4.1's `eval_bool`). */
export const holds = (expression: string, variables: Record<string, unknown>): boolean => evaluate(expression, variables) === true;

/**
 * `request` and `jwt` as v1.4.1's CEL sees them (headers by lower-case name, repeated values joined); `request.body`
 * only once the body was read (buffered for the route's rules, or by the MCP handler).
 */
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
      ...(exchange.body ? { body: exchange.body.toString('utf8') } : {}),
    },
    ...(exchange.claims ? { jwt: exchange.claims } : {}),
  };
}

/** A header value from CEL, or undefined when it is not a string a header can carry. */
export function headerValue(expression: string, variables: Record<string, unknown>): string | undefined {
  const result = evaluate(expression, variables);
  return typeof result === 'string' && /^[\t\x20-\x7e]*$/.test(result) ? result : undefined;
}

/** The route's `traffic.directResponse`: the first entry whose condition holds answers the request. */
export function directResponse(exchange: Exchange): Answer | undefined {
  const rules = exchange.route?.match.directResponses;
  if (!rules?.length) return undefined;
  const variables = celVariables(exchange);
  const rule = rules.find((r) => r.condition === undefined || holds(r.condition, variables));
  if (!rule) return undefined;
  const headers: Record<string, string> = {};
  for (const { name, value } of rule.headers) {
    const result = headerValue(value, variables);
    if (result !== undefined) headers[name.toLowerCase()] = result;
  }
  let body: string | undefined = rule.body;
  if (rule.bodyExpression !== undefined) {
    // v1.4.1 `value_as_byte_or_json`: a string is the body, anything else its JSON; a failure is a filter error.
    const outcome = evaluateCel(rule.bodyExpression, variables);
    if (!outcome.ok) return { ...errorAnswer(500, 'internal_error', 'the gateway could not build this response'), reason: 'Internal' };
    body = typeof outcome.value === 'string' ? outcome.value : JSON.stringify(toPlain(outcome.value));
  }
  return { status: rule.status, headers, ...(body !== undefined ? { body } : {}), reason: 'DirectResponse' };
}
