/**
 * The local gateway's reading of the rendered manifests (generators' renderObjects of servers.json) and its
 * Gateway API path matching: PathPrefix on whole segments, the longest match first, ReplacePrefixMatch.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistrySync, renderObjects } from '../../generators/src/index.ts';
import { matchRoute, readGatewayModel, type GatewayModel, type KubeObject } from '../gateway/manifests.ts';
import { repoRoot } from './support.ts';

const registry = loadRegistrySync(path.join(repoRoot, 'servers.json')).registry!;
const objects = renderObjects(registry) as KubeObject[];
const model = readGatewayModel(objects);

const route = (pathname: string, m: GatewayModel = model) => {
  const hit = matchRoute(m, pathname);
  return hit && { route: hit.match.route, upstreamPath: hit.upstreamPath, jwt: hit.match.jwt !== undefined };
};

describe('the gateway model of the rendered manifests', () => {
  it('listens where the Gateway says and sends each MCP route to its backend target', () => {
    expect(model.port).toBe(registry.gateway.port);
    const example = model.matches.find((m) => m.path === '/mcp/mcp-example')!;
    expect(example.upstream).toMatchObject({
      kind: 'mcp',
      backend: 'mcp-example-backend',
      target: 'mcp-example',
      host: `mcp-example-service.${registry.namespace}.svc.cluster.local`,
      port: 8000,
      path: '/mcp',
    });
    expect(example.jwt).toMatchObject({ policy: 'azure-mcp-authn-policy', mode: 'Strict', audiences: registry.auth.audiences });
  });

  it('finds the JWT policy of a route by its labels (targetSelectors) or its name (targetRefs), as the v1.4.1 controller does', () => {
    const unlabelled = structuredClone(objects);
    delete (unlabelled.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'mcp-example')!.metadata as any).labels['app.kubernetes.io/component'];
    expect(route('/mcp/mcp-example', readGatewayModel(unlabelled))!.jwt).toBe(false);
    expect(route('/mcp/mcp-hubspot', readGatewayModel(unlabelled))!.jwt).toBe(true);
    const byName = structuredClone(unlabelled);
    const policy = byName.find((o) => o.kind === 'AgentgatewayPolicy' && o.metadata.name === 'azure-mcp-authn-policy')!;
    delete policy.spec.targetSelectors;
    policy.spec.targetRefs = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'mcp-example' }];
    expect(route('/mcp/mcp-example', readGatewayModel(byName))!.jwt).toBe(true);
    expect(route('/mcp/mcp-hubspot', readGatewayModel(byName))!.jwt).toBe(false);
  });

  it("reads each route's access policy and its backend's tool rules, merging as v1.4.1 does", () => {
    const hubspot = model.matches.find((m) => m.path === '/mcp/mcp-hubspot')!;
    expect(hubspot.authorization?.map((r) => [r.policy, r.action, r.expressions.length])).toEqual([['mcp-hubspot-access', 'Allow', 2]]);
    expect(hubspot.transformation?.set).toEqual([{ name: 'x-mcp-caller', value: 'has(jwt.oid) ? jwt.oid : jwt.sub' }]);
    // The scope challenge, then the refusal of the write tools; so the route reads the body before its policies.
    expect(hubspot.directResponses).toHaveLength(2);
    expect(hubspot.readsBody).toBe(true);
    expect(model.matches.find((m) => m.path === '/mcp/mcp-example')!.readsBody).toBe(false);
    expect(hubspot.upstream.kind === 'mcp' && hubspot.upstream.mcpAuthorization?.map((r) => r.policy)).toEqual(['mcp-hubspot-tool-access']);
    expect(model.accessLog?.attributes.map((a) => a.name)).toContain('caller.oid');
  });

  it('rewrites /ui to / and passes /auth as it is, both without JWT', () => {
    expect(route('/ui')).toEqual({ route: 'mcp-ui', upstreamPath: '/', jwt: false });
    expect(route('/ui/')).toEqual({ route: 'mcp-ui', upstreamPath: '/', jwt: false });
    expect(route('/ui/assets/index.js')).toEqual({ route: 'mcp-ui', upstreamPath: '/assets/index.js', jwt: false });
    expect(route('/auth/callback')).toEqual({ route: 'mcp-ui', upstreamPath: '/auth/callback', jwt: false });
  });

  it('matches prefixes on whole path segments only', () => {
    expect(route('/uix')).toBeUndefined();
    expect(route('/mcp/mcp-example')?.route).toBe('mcp-example');
    expect(route('/mcp/mcp-example/')?.route).toBe('mcp-example');
    expect(route('/mcp/mcp-examples')).toBeUndefined();
    expect(route('/mcp')).toBeUndefined();
  });

  it('prefers the longest prefix when two routes overlap', () => {
    const nested: GatewayModel = {
      ...model,
      matches: [
        { route: 'outer', routeNamespace: 'n', pathType: 'PathPrefix', path: '/mcp/a', upstream: { kind: 'service', service: 's', namespace: 'n', port: 1 }, readsBody: false },
        { route: 'inner', routeNamespace: 'n', pathType: 'PathPrefix', path: '/mcp/a/b', upstream: { kind: 'service', service: 's', namespace: 'n', port: 1 }, readsBody: false },
      ],
    };
    expect(route('/mcp/a/b/c', nested)?.route).toBe('inner');
    expect(route('/mcp/a/c', nested)?.route).toBe('outer');
  });

  it('refuses manifests whose route points at a backend that is not rendered', () => {
    const broken = objects.filter((o) => !(o.kind === 'AgentgatewayBackend' && o.metadata.name === 'mcp-mssql-backend'));
    expect(() => readGatewayModel(broken)).toThrow('HTTPRoute mcp-mssql points at AgentgatewayBackend mcp-mssql-backend, which is not rendered');
  });
});
