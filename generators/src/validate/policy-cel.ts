/**
 * Every CEL expression of the rendered AgentgatewayPolicies, checked against what agentgateway v1.4.1 provides
 * where it runs (agentgateway-cel.ts): rules and conditions must be total booleans, header values strings, and
 * every variable, field, claim and function must exist. A typo (`jwt.rolse`, `mcp.tool.nmae`) fails generate.
 */
import type { Problem } from '../registry/types.ts';
import { objectRef, type KubeObject } from '../render/meta.ts';
import { celProblems, type CelExpectation, type CelPlace } from './agentgateway-cel.ts';

type Any = Record<string, any>;
interface Found {
  path: string;
  expression: string;
  place: CelPlace;
  expect: CelExpectation;
}

function directResponseExpressions(direct: Any, path: string): Found[] {
  const entries: { condition?: string; policy: Any; at: string }[] = direct.conditional
    ? (direct.conditional as Any[]).map((e, i) => ({ condition: e.condition, policy: e.policy, at: `${path}.conditional[${i}]` }))
    : [{ policy: direct, at: path }];
  return entries.flatMap(({ condition, policy, at }) => [
    ...(condition ? [{ path: `${at}.condition`, expression: condition, place: 'route' as const, expect: 'condition' as const }] : []),
    ...((policy.headers ?? []) as Any[]).map((h, i) => ({ path: `${at}.policy.headers[${i}].value`, expression: h.value, place: 'route' as const, expect: 'header' as const })),
    ...(policy.bodyExpression ? [{ path: `${at}.policy.bodyExpression`, expression: policy.bodyExpression, place: 'route' as const, expect: 'value' as const }] : []),
  ]);
}

function transformationExpressions(transformation: Any, path: string): Found[] {
  const request = transformation.request ?? {};
  return [
    ...(['set', 'add'] as const).flatMap((op) => ((request[op] ?? []) as Any[]).map((h, i) => ({ path: `${path}.request.${op}[${i}].value`, expression: h.value, place: 'route' as const, expect: 'header' as const }))),
    ...Object.entries((request.metadata ?? {}) as Record<string, string>).map(([k, v]) => ({ path: `${path}.request.metadata.${k}`, expression: v, place: 'route' as const, expect: 'value' as const })),
  ];
}

function authorizationExpressions(authorization: Any, path: string, place: CelPlace): Found[] {
  return ((authorization.policy?.matchExpressions ?? []) as string[]).map((expression, i) => ({ path: `${path}.policy.matchExpressions[${i}]`, expression, place, expect: 'condition' as const }));
}

/** The CEL of one policy, each with its field path and where v1.4.1 evaluates it. */
export function policyExpressions(policy: KubeObject): Found[] {
  const spec = (policy as Any).spec ?? {};
  const found: Found[] = [];
  const traffic = spec.traffic ?? {};
  if (traffic.authorization) found.push(...authorizationExpressions(traffic.authorization, 'spec.traffic.authorization', 'route'));
  if (traffic.directResponse) found.push(...directResponseExpressions(traffic.directResponse, 'spec.traffic.directResponse'));
  if (traffic.transformation) found.push(...transformationExpressions(traffic.transformation, 'spec.traffic.transformation'));
  const mcpAuthorization = spec.backend?.mcp?.authorization;
  if (mcpAuthorization) found.push(...authorizationExpressions(mcpAuthorization, 'spec.backend.mcp.authorization', 'mcp'));
  const accessLog = spec.frontend?.accessLog;
  if (accessLog?.filter) found.push({ path: 'spec.frontend.accessLog.filter', expression: accessLog.filter, place: 'log', expect: 'condition' });
  for (const [i, a] of ((accessLog?.attributes?.add ?? []) as Any[]).entries()) {
    found.push({ path: `spec.frontend.accessLog.attributes.add[${i}].expression`, expression: a.expression, place: 'log', expect: 'value' });
  }
  return found;
}

/** Problems of every CEL expression in the AgentgatewayPolicies among `objects`. */
export function checkPolicyCel(objects: KubeObject[]): Problem[] {
  return objects
    .filter((o) => o.kind === 'AgentgatewayPolicy')
    .flatMap((policy) =>
      policyExpressions(policy).flatMap(({ path, expression, place, expect }) =>
        celProblems(expression, place, expect).map((message) => ({ where: objectRef(policy), message: `${path}: ${message}` })),
      ),
    );
}
