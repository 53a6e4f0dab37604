/**
 * The policies' own CEL, checked at generate time against what agentgateway v1.4.1 provides where each expression
 * runs: every rendered expression passes, and a typo in a claim, a variable, a field or a function fails.
 */
import { describe, expect, it } from 'vitest';
import { renderObjects } from '../../src/render/index.ts';
import { celNameProblems, celProblems } from '../../src/validate/agentgateway-cel.ts';
import { checkPolicyCel, policyExpressions } from '../../src/validate/policy-cel.ts';
import { find, fixtureRegistry, goodRegistry, repoRegistry } from '../helpers.ts';

describe('the rendered policies', () => {
  it('pass, for the repository registry, the frozen copy and the fixture (token version 1, every kind of grant)', () => {
    for (const registry of [repoRegistry(), goodRegistry(), fixtureRegistry()]) expect(checkPolicyCel(renderObjects(registry))).toEqual([]);
  });

  it('are all found: route rules, refusals, the caller header, tool rules and the access log fields', () => {
    const objects = renderObjects(goodRegistry());
    const places = objects.filter((o) => o.kind === 'AgentgatewayPolicy').flatMap((p) => policyExpressions(p).map((e) => `${p.metadata.name} ${e.place} ${e.path.replace(/\[\d+\]/g, '[]')}`));
    expect(new Set(places)).toEqual(
      new Set([
        'mcp-access-log log spec.frontend.accessLog.attributes.add[].expression',
        ...['mcp-example', 'mcp-hubspot', 'mcp-mssql'].flatMap((s) => [
          `${s}-access route spec.traffic.authorization.policy.matchExpressions[]`,
          `${s}-access route spec.traffic.transformation.request.set[].value`,
          `${s}-access route spec.traffic.directResponse.conditional[].condition`,
          `${s}-access route spec.traffic.directResponse.conditional[].policy.headers[].value`,
          `${s}-tool-access mcp spec.backend.mcp.authorization.policy.matchExpressions[]`,
        ]),
        'mcp-hubspot-access route spec.traffic.directResponse.conditional[].policy.bodyExpression',
      ]),
    );
  });

  it('fail on a typo in a claim, a variable or a field, naming the policy and the field', () => {
    const objects = structuredClone(renderObjects(goodRegistry())) as any[];
    find<any>(objects, 'AgentgatewayPolicy', 'mcp-hubspot-tool-access').spec.backend.mcp.authorization.policy.matchExpressions[1] = 'has(jwt.rolse) && "HubSpot.Write" in jwt.rolse';
    find<any>(objects, 'AgentgatewayPolicy', 'mcp-example-access').spec.traffic.authorization.policy.matchExpressions[0] = 'mcp.tool.name == "echo"';
    find<any>(objects, 'AgentgatewayPolicy', 'mcp-access-log').spec.frontend.accessLog.attributes.add[4].expression = 'proxy.route.nmae';
    expect(checkPolicyCel(objects)).toEqual([
      { where: 'AgentgatewayPolicy agentgateway-system/mcp-access-log', message: 'spec.frontend.accessLog.attributes.add[4].expression: proxy.route has no field "nmae" (it has namespace, name, kind, rule); did you mean "name"?' },
      {
        where: 'AgentgatewayPolicy agentgateway-system/mcp-example-access',
        message: 'spec.traffic.authorization.policy.matchExpressions[0]: unknown variable "mcp" (here v1.4.1 provides request, jwt, source, env, metadata)',
      },
      {
        where: 'AgentgatewayPolicy agentgateway-system/mcp-hubspot-tool-access',
        message: 'spec.backend.mcp.authorization.policy.matchExpressions[1]: unknown claim "rolse": Entra access tokens carry no such claim; did you mean "roles"?',
      },
    ]);
  });
});

describe('the check of one expression', () => {
  it('knows where each variable exists: mcp.tool in tool rules, response in the access log', () => {
    expect(celNameProblems('mcp.tool.name == "x"', 'mcp')).toEqual([]);
    expect(celNameProblems('response.code == 403', 'route')).toEqual(['unknown variable "response" (here v1.4.1 provides request, jwt, source, env, metadata)']);
    expect(celNameProblems('response.code == 403', 'log')).toEqual([]);
    expect(celNameProblems('mcp.methodName == "tools/call"', 'mcp')).toEqual(['mcp has no field "methodName" (it has tool, prompt, resource, task)']);
  });

  it('refuses functions v1.4.1 or the checker does not have, and accepts bound comprehension variables', () => {
    expect(celNameProblems('defualt(jwt.roles, [])', 'route')[0]).toMatch(/^unknown function "defualt"/);
    expect(celNameProblems('has(jwt.roles) && jwt.roles.exists(r, r.startsWith("HubSpot."))', 'route')).toEqual([]);
    expect(celNameProblems('request.headers["x-forwarded-proto"] == "https"', 'route')).toEqual([]);
    expect(celNameProblems('jwt["rolse"]', 'route')).toEqual(['unknown claim "rolse": Entra access tokens carry no such claim; did you mean "roles"?']);
    expect(celNameProblems('has(jwt.xms_cc)', 'claims')).toEqual([]);
  });

  it('wants conditions total and boolean, header values strings', () => {
    expect(celProblems('"HubSpot.Read" in jwt.roles', 'route', 'condition')).toEqual(['fails to evaluate for a person with no role (field not found: roles); guard what may be missing with has()']);
    expect(celProblems('jwt.oid', 'route', 'condition')).toEqual(['is not a boolean for a person with roles and groups']);
    expect(celProblems('has(jwt.roles)', 'route', 'header')).toEqual(['is not a string for a person with roles and groups']);
    expect(celProblems('jwt.preferred_username', 'log', 'value')).toEqual([]);
  });
});
