/**
 * Authorization as agentgateway v1.4.1 decides it, over the rule sets of every policy that applies (`rulesAllow`,
 * shared with the generators: `http/authorization.rs` `RuleSets::validate`). The route step answers a refusal as v1.4.1 does
 * (`proxy/mod.rs`: `AuthorizationFailed` → 403, `text/plain` "authorization failed"); the transformation step
 * then sets the route's request headers (`http/transformation_cel.rs`), after authorization as in
 * `apply_request_policies`.
 */
import { rulesAllow } from '../../generators/src/validate/agentgateway-cel.ts';
import { celVariables, headerValue } from './cel.ts';
import type { Answer, Exchange } from './pipeline.ts';

/** `traffic.authorization` of the route. */
export function authorize(exchange: Exchange): Answer | undefined {
  const rules = exchange.route?.match.authorization;
  if (!rules || rulesAllow(rules, celVariables(exchange))) return undefined;
  return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'authorization failed', reason: 'Authorization' };
}

/**
 * `traffic.transformation.request`: `add` appends, `set` overwrites, then `remove`. A value whose expression fails
 * removes the header (`http/mod.rs` `apply_header`: "a failed execution cannot mean the user can set arbitrary
 * headers"), so a header the policy sets never carries what a client sent.
 */
export function transform(exchange: Exchange): undefined {
  const transformation = exchange.route?.match.transformation;
  if (!transformation) return undefined;
  const variables = celVariables(exchange);
  const headers = exchange.req.headers;
  for (const { name, value } of transformation.add) {
    const key = name.toLowerCase();
    const result = headerValue(value, variables);
    if (result === undefined) delete headers[key];
    else headers[key] = headers[key] === undefined ? result : `${String(headers[key])}, ${result}`;
  }
  for (const { name, value } of transformation.set) {
    const key = name.toLowerCase();
    const result = headerValue(value, variables);
    if (result === undefined) delete headers[key];
    else headers[key] = result;
  }
  for (const name of transformation.remove) delete headers[name.toLowerCase()];
  return undefined;
}

