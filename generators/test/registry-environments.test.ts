/** The registry's edge, limits and environments: defaults, the merge of an environment over the top level, refusals. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentRegistry } from '../src/registry/environments.ts';
import { formatProblem, parseRegistry } from '../src/registry/parse.ts';
import { routeLimits } from '../src/render/access-policy.ts';
import { FIXTURES, fixtureRegistry, goodRegistry, locksFor, parseWithLocks } from './helpers.ts';

const goodJson = (): Record<string, any> => JSON.parse(readFileSync(resolve(FIXTURES, 'registry-good.json'), 'utf8'));

function problemsAfter(mutate: (registry: Record<string, any>) => void): string[] {
  const json = goodJson();
  mutate(json);
  const text = JSON.stringify(json, null, 2);
  const { registry, problems } = parseRegistry(text, locksFor(text));
  expect(registry).toBeUndefined();
  return problems.map((p) => formatProblem(p).replace(/^servers\.json:\d+:\d+: /, ''));
}

describe('edge and limits defaults', () => {
  it('serve the UI host over HTTPS from an out-of-band Secret behind a ClusterIP Service', () => {
    const registry = goodRegistry();
    expect(registry.edge).toEqual({ hosts: ['mcp.example.com'], tls: { secretName: 'agentgateway-proxy-tls' }, service: { type: 'ClusterIP' } });
    expect(registry.environments).toEqual({});
  });

  it('limit every route to 200 requests a second with a burst of 200, and bodies to what the server accepts', () => {
    const registry = goodRegistry();
    expect(registry.limits).toEqual({ rateLimit: { requests: 200, unit: 'Seconds', burst: 200 } });
    expect(routeLimits(registry.servers[0]!, registry)).toEqual({ rateLimit: { requests: 200, unit: 'Seconds', burst: 200 }, maxRequestBytes: 1_048_576 });
  });

  it('merge a server limit over the top level one field at a time', () => {
    const registry = fixtureRegistry();
    const full = registry.servers.find((s) => s.name === 'mcp-full')!;
    const minimal = registry.servers.find((s) => s.name === 'mcp-minimal')!;
    expect(routeLimits(full, registry)).toEqual({ rateLimit: { requests: 600, unit: 'Minutes', burst: 0 }, maxRequestBytes: 4_194_304 });
    expect(routeLimits(minimal, registry)).toEqual({ rateLimit: { requests: 600, unit: 'Minutes', burst: 200 }, maxRequestBytes: 1_048_576 });
  });
});

describe('an environment', () => {
  it('is its fields over the top level: auth and UI field by field, its own TLS source whole, hosts from its URL', () => {
    const base = fixtureRegistry();
    const staging = environmentRegistry(base, 'staging');
    expect(staging.auth).toEqual({ ...base.auth, tenantId: 'aaaaaaaa-bbbb-cccc-dddd-ffffffffffff', mcpClientId: '12345678-1234-1234-1234-123456789abe' });
    expect(staging.ui).toEqual({ ...base.ui, publicUrl: 'https://staging.example.org' });
    expect(staging.edge).toEqual({ hosts: ['staging.example.org'], tls: { secretName: 'staging-tls' }, service: { type: 'InternalLoadBalancer', cloud: 'aws' } });
    expect(staging.servers).toBe(base.servers);
    expect(() => environmentRegistry(base, 'qa')).toThrow('no environment "qa" in servers.json (environments: staging)');
  });

  it('is checked like the top level, the problem naming the environment and its field', () => {
    expect(
      problemsAfter((r) => {
        r.environments = {
          dev: { auth: { scope: 'api://99999999-9999-9999-9999-999999999999/mcp.access' }, ui: { clientId: r.auth.mcpClientId } },
          qa: { edge: { hosts: ['qa.example.com'] } },
          components: {},
        };
      }),
    ).toEqual([
      // The clash of two client ids the environment does not both set points at the environment itself.
      'environments.dev: environment "dev": must differ from ui.clientId: the UI\'s registration is a confidential Web client, MCP clients need a public one (Mobile and desktop applications, PKCE)',
      expect.stringContaining('environments.dev.auth.scope: environment "dev": the scope\'s Application ID URI "api://99999999-9999-9999-9999-999999999999" is not one of auth.audiences'),
      'environments.qa.edge.hosts: environment "qa": the UI\'s public URL https://mcp.example.com is on mcp.example.com, which is not one of edge.hosts (qa.example.com): add it, or the HTTPS listener would not serve the sign-in',
      'environments.components: "components" is the overlays\' folder of shared Components and cannot be an environment',
    ]);
  });
});

describe('edge refusals', () => {
  it('refuse a UI URL the HTTPS listener does not serve, plain http, and a load balancer kind without its cloud', () => {
    expect(problemsAfter((r) => (r.edge = { hosts: ['other.example.com', '*.example.org'] }))).toEqual([
      'edge.hosts: the UI\'s public URL https://mcp.example.com is on mcp.example.com, which is not one of edge.hosts (other.example.com, *.example.org): add it, or the HTTPS listener would not serve the sign-in',
    ]);
    expect(problemsAfter((r) => (r.ui.publicUrl = 'http://mcp.example.com'))).toEqual(['ui.publicUrl: must match pattern "^https://[^/\\s?#]+$" (found "http://mcp.example.com")']);
    expect(problemsAfter((r) => (r.edge = { service: { type: 'InternalLoadBalancer' } }))).toEqual([
      'edge.service.cloud: an InternalLoadBalancer needs "cloud" (azure, aws or gcp): the annotation that keeps the load balancer off the internet differs per cloud',
    ]);
    expect(problemsAfter((r) => (r.edge = { service: { type: 'LoadBalancer', cloud: 'azure' } }))).toEqual([
      'edge.service.cloud: "cloud" is for "type": "InternalLoadBalancer" (found "LoadBalancer"); remove it or set the type',
    ]);
    expect(problemsAfter((r) => (r.edge = { tls: { secretName: 'a', certManager: { issuer: { name: 'b' } } } }))).toEqual(['edge.tls: set exactly one of certManager (a cert-manager Certificate from an issuer) or secretName (an existing kubernetes.io/tls Secret); found both']);
  });

  it('accept a wildcard host for one label only', () => {
    const ok = goodJson();
    ok.edge = { hosts: ['*.example.com'] };
    expect(parseWithLocks(JSON.stringify(ok)).problems).toEqual([]);
    expect(problemsAfter((r) => ((r.ui.publicUrl = 'https://a.mcp.example.com'), (r.edge = { hosts: ['*.example.com'] })))).toHaveLength(1);
  });
});
