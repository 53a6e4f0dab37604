/** Cross-object checks catch broken references, unreachable ports, uncovered routes and path clashes. */
import { describe, expect, it } from 'vitest';
import { renderObjects } from '../../src/render/index.ts';
import { crossCheckObjects } from '../../src/validate/cross-check.ts';
import { goodRegistry } from '../helpers.ts';

const fresh = () => structuredClone(renderObjects(goodRegistry())) as any[];
const named = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('crossCheckObjects', () => {
  it('passes the rendered set', () => {
    expect(crossCheckObjects(fresh())).toEqual([]);
  });

  it('flags a route whose backend does not exist', () => {
    const objects = fresh().filter((o) => !(o.kind === 'AgentgatewayBackend' && o.metadata.name === 'mcp-mssql-backend'));
    expect(crossCheckObjects(objects)).toEqual([{ where: 'HTTPRoute agentgateway-system/mcp-mssql', message: 'backendRef AgentgatewayBackend "mcp-mssql-backend" does not exist' }]);
  });

  it('flags a backend target whose Service port reaches no container port', () => {
    const objects = fresh();
    named(objects, 'Deployment', 'mcp-example').spec.template.spec.containers[0].ports[0].name = 'web';
    expect(crossCheckObjects(objects)).toEqual([
      { where: 'AgentgatewayBackend agentgateway-system/mcp-example-backend', message: 'target "mcp-example": Service port 8000 (targetPort http) reaches no container port' },
    ]);
  });

  it('flags a backend target on a port the Service does not have, and a UI Service selecting nothing', () => {
    const objects = fresh();
    named(objects, 'AgentgatewayBackend', 'mcp-example-backend').spec.mcp.targets[0].static.port = 9999;
    named(objects, 'Service', 'mcp-ui-service').spec.selector = { 'app.kubernetes.io/name': 'nothing' };
    expect(crossCheckObjects(objects).map((p) => p.message)).toEqual([
      'backendRef "mcp-ui-service": Service selects no rendered workload',
      'backendRef "mcp-ui-service": Service selects no rendered workload',
      'target "mcp-example": Service has no port 9999',
    ]);
  });

  it('flags an MCP route no JWT policy covers: one without the label the policy selects', () => {
    const objects = fresh();
    delete named(objects, 'HTTPRoute', 'mcp-hubspot').metadata.labels['app.kubernetes.io/component'];
    expect(crossCheckObjects(objects)).toEqual([{ where: 'HTTPRoute agentgateway-system/mcp-hubspot', message: 'MCP route is not covered by any JWT policy' }]);
  });

  it('flags every MCP route when the policy selects other labels, and accepts routes named in targetRefs', () => {
    const objects = fresh();
    const policy = named(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy');
    policy.spec.targetSelectors[0].matchLabels = { 'app.kubernetes.io/component': 'something-else' };
    expect(crossCheckObjects(objects).map((p) => p.where)).toEqual(['mcp-example', 'mcp-hubspot', 'mcp-mssql'].map((r) => `HTTPRoute agentgateway-system/${r}`));
    delete policy.spec.targetSelectors;
    policy.spec.targetRefs = ['mcp-example', 'mcp-hubspot', 'mcp-mssql'].map((name) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name }));
    expect(crossCheckObjects(objects)).toEqual([]);
  });

  it('flags two routes claiming the same path, and duplicate objects', () => {
    const objects = fresh();
    named(objects, 'HTTPRoute', 'mcp-mssql').spec.rules[0].matches = structuredClone(named(objects, 'HTTPRoute', 'mcp-example').spec.rules[0].matches);
    objects.push(structuredClone(named(objects, 'ServiceAccount', 'mcp-ui')));
    const claimed = (path: string) => ({ where: 'HTTPRoute agentgateway-system/mcp-mssql', message: `path PathPrefix ${path} is also claimed by HTTPRoute agentgateway-system/mcp-example` });
    expect(crossCheckObjects(objects)).toEqual([
      { where: 'ServiceAccount agentgateway-system/mcp-ui', message: 'defined more than once' },
      claimed('/mcp/mcp-example'),
      claimed('/.well-known/oauth-protected-resource/mcp/mcp-example'),
      claimed('/.well-known/oauth-authorization-server/mcp/mcp-example'),
    ]);
  });

  it('flags a route under an MCP sign-in policy that does not match its discovery paths', () => {
    const objects = fresh();
    const rule = named(objects, 'HTTPRoute', 'mcp-hubspot').spec.rules[0];
    rule.matches = rule.matches.filter((m: any) => !m.path.value.startsWith('/.well-known/oauth-authorization-server'));
    expect(crossCheckObjects(objects)).toEqual([
      {
        where: 'HTTPRoute agentgateway-system/mcp-hubspot',
        message: 'matches /mcp/mcp-hubspot but not /.well-known/oauth-authorization-server/mcp/mcp-hubspot: MCP clients cannot discover where to sign in',
      },
    ]);
  });

  it('flags an MCP route without access rules, and a backend without tool rules: every valid token would use every tool', () => {
    const objects = fresh().filter((o) => !(o.kind === 'AgentgatewayPolicy' && ['mcp-mssql-access', 'mcp-hubspot-tool-access'].includes(o.metadata.name)));
    expect(crossCheckObjects(objects)).toEqual([
      { where: 'HTTPRoute agentgateway-system/mcp-hubspot', message: 'backend mcp-hubspot-backend has no tool policy (backend.mcp.authorization): every caller would see and call every tool' },
      { where: 'HTTPRoute agentgateway-system/mcp-mssql', message: 'MCP route has no access policy (traffic.authorization): every valid token would reach it' },
    ]);
  });

  it('flags two policies setting directResponse on one route: v1.4.1 keeps one, the other is lost', () => {
    const objects = fresh();
    named(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy').spec.traffic.directResponse = { status: 418 };
    expect(crossCheckObjects(objects)).toEqual(
      ['mcp-example', 'mcp-hubspot', 'mcp-mssql'].map((server) => ({
        where: `HTTPRoute agentgateway-system/${server}`,
        message: `azure-mcp-authn-policy and ${server}-access both set traffic.directResponse; agentgateway keeps only one of them`,
      })),
    );
  });

  it('flags a second rate limit or buffer on a route, and a request timeout on an MCP route', () => {
    const objects = fresh();
    const jwt = named(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy');
    jwt.spec.traffic.rateLimit = { local: [{ requests: 1, unit: 'Seconds' }] };
    named(objects, 'AgentgatewayPolicy', 'mcp-example-access').spec.traffic.timeouts = { request: '30s' };
    named(objects, 'HTTPRoute', 'mcp-mssql').spec.rules[0].timeouts = { request: '30s' };
    expect(crossCheckObjects(objects)).toEqual([
      { where: 'HTTPRoute agentgateway-system/mcp-example', message: 'azure-mcp-authn-policy and mcp-example-access both set traffic.rateLimit; agentgateway keeps only one of them' },
      { where: 'HTTPRoute agentgateway-system/mcp-example', message: 'mcp-example-access set traffic.timeouts on an MCP route; a request timeout cuts long-lived MCP streams' },
      { where: 'HTTPRoute agentgateway-system/mcp-hubspot', message: 'azure-mcp-authn-policy and mcp-hubspot-access both set traffic.rateLimit; agentgateway keeps only one of them' },
      { where: 'HTTPRoute agentgateway-system/mcp-mssql', message: 'azure-mcp-authn-policy and mcp-mssql-access both set traffic.rateLimit; agentgateway keeps only one of them' },
      { where: 'HTTPRoute agentgateway-system/mcp-mssql', message: 'a rule of the MCP route sets timeouts; a request timeout cuts long-lived MCP streams' },
    ]);
  });

  it('flags a route on a listener the Gateway does not have', () => {
    const objects = fresh();
    named(objects, 'HTTPRoute', 'mcp-ui').spec.parentRefs[1].sectionName = 'tls';
    expect(crossCheckObjects(objects)).toEqual([{ where: 'HTTPRoute agentgateway-system/mcp-ui', message: 'parent Gateway "agentgateway-proxy" has no listener "tls"' }]);
  });
});
