/** The CRDs' CEL rules, evaluated with @bufbuild/cel: they catch real violations; what cannot run is counted. */
import { describe, expect, it } from 'vitest';
import { renderObjects } from '../../src/render/index.ts';
import { celRuleReport, evaluateCelRules, newCelStats } from '../../src/validate/cel.ts';
import { crdKinds } from '../../src/validate/crd.ts';
import { validateObjects, validateObjectsWithStats } from '../../src/validate/schemas.ts';
import { find, goodRegistry } from '../helpers.ts';

const backendSchema = () => crdKinds().get('agentgateway.dev/v1alpha1/AgentgatewayBackend')!.schema;
const policySchema = () => crdKinds().get('agentgateway.dev/v1alpha1/AgentgatewayPolicy')!.schema;
const objects = renderObjects(goodRegistry());
const backend = find(objects, 'AgentgatewayBackend', 'mcp-example-backend');
const policy = find(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy');

describe('CEL rules of the v1.4.1 CRDs', () => {
  it('compiles all rules but the two that use the Kubernetes-only quantity() library, and says which', () => {
    const reports = [...crdKinds().values()].map((k) => [k.kind, celRuleReport(k.schema)] as const);
    const total = reports.reduce((n, [, r]) => n + r.total, 0);
    const unsupported = reports.flatMap(([, r]) => r.unsupported);
    expect(total).toBe(783);
    expect(unsupported).toEqual([
      { rule: "!quantity(string(self)).isLessThan(quantity('16384'))", reason: 'uses quantity()' },
      { rule: "!quantity(string(self)).isGreaterThan(quantity('1677215'))", reason: 'uses quantity()' },
    ]);
  });

  it('passes the rendered backend and policy, having evaluated rules on them', () => {
    const stats = newCelStats();
    expect(evaluateCelRules(backend, backendSchema(), stats)).toEqual([]);
    expect(evaluateCelRules(policy, policySchema(), stats)).toEqual([]);
    expect(stats.evaluated).toBeGreaterThan(10);
  });

  it('catches a backend with both static and mcp', () => {
    const bad = structuredClone(backend);
    bad.spec.static = { host: 'x.example', port: 80 };
    expect(evaluateCelRules(bad, backendSchema())).toEqual([
      { path: 'spec', message: 'exactly one of the fields in [ai static dynamicForwardProxy mcp aws a2a] must be set' },
    ]);
    expect(validateObjects([bad as never])).toEqual([
      { where: 'AgentgatewayBackend agentgateway-system/mcp-example-backend', message: 'spec: exactly one of the fields in [ai static dynamicForwardProxy mcp aws a2a] must be set' },
    ]);
  });

  it('catches duplicate MCP target names and a target with both static and selector', () => {
    const bad = structuredClone(backend);
    const target = bad.spec.mcp.targets[0];
    bad.spec.mcp.targets.push(structuredClone(target));
    bad.spec.mcp.targets[1].selector = { services: { matchLabels: { a: 'b' } } };
    expect(evaluateCelRules(bad, backendSchema())).toEqual([
      { path: 'spec.mcp.targets', message: 'target names must be unique' },
      { path: 'spec.mcp.targets[1]', message: 'exactly one of the fields in [selector static] must be set' },
    ]);
  });

  it('catches a JWKS cache duration under 5m, after defaulting', () => {
    const bad = structuredClone(policy);
    bad.spec.traffic.jwtAuthentication.providers[0].jwks.remote.cacheDuration = '1m';
    expect(evaluateCelRules(bad, policySchema()).map((v) => v.message)).toEqual(['cacheDuration must be at least 5m.']);
  });

  it('counts a rule it cannot run when the field is present, instead of passing it silently', () => {
    const withFrontend = { ...structuredClone(policy), spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g' }], frontend: { http: { http2FrameSize: '16Ki' } } } };
    const { cel } = validateObjectsWithStats([withFrontend as never]);
    expect([...cel.unsupported.values()].map((u) => u.count)).toEqual([1, 1]);
  });
});
