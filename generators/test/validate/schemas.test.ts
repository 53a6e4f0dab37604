/** Schema validation per kind with the real model packages and the real CRDs. */
import { describe, expect, it } from 'vitest';
import { renderObjects } from '../../src/render/index.ts';
import { validateObjects } from '../../src/validate/schemas.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { find, fixtureRegistry, goodRegistry, REPO_ROOT } from '../helpers.ts';

const objects = renderObjects(goodRegistry());

describe('validateObjects', () => {
  it('accepts every rendered object', () => {
    expect(validateObjects(objects)).toEqual([]);
  });

  it('flags a core object that breaks its schema', () => {
    const bad = structuredClone(find(objects, 'Deployment', 'mcp-example'));
    bad.spec.replicas = 'two';
    expect(validateObjects([bad as never])).toEqual([{ where: 'Deployment agentgateway-system/mcp-example', message: 'spec.replicas: must be integer' }]);
  });

  it('flags a Gateway API object that breaks its schema', () => {
    const bad = structuredClone(find(objects, 'HTTPRoute', 'mcp-example'));
    bad.spec.rules[0].matches[0].path.type = 'Glob';
    expect(validateObjects([bad as never])[0]).toMatchObject({ where: 'HTTPRoute agentgateway-system/mcp-example', message: expect.stringContaining('spec.rules[0].matches[0].path.type') });
  });

  it('flags unknown fields and bad values in agentgateway kinds', () => {
    const bad = structuredClone(find(objects, 'AgentgatewayBackend', 'mcp-example-backend'));
    bad.spec.mcp.targets[0].static.protocol = 'HTTP';
    bad.spec.mcp.targets[0].static.timeout = '5s';
    expect(validateObjects([bad as never]).map((p) => p.message)).toEqual([
      'spec.mcp.targets[0].static: unknown field "timeout"',
      'spec.mcp.targets[0].static.protocol: must be equal to one of the allowed values',
    ]);
  });

  it("validates the edge's cert-manager Certificate against cert-manager's schema (@kubernetes-models/cert-manager)", () => {
    const certificate = find(renderObjects(fixtureRegistry()), 'Certificate', 'test-gateway-tls');
    expect(validateObjects([certificate as never])).toEqual([]);
    const bad = structuredClone(certificate);
    bad.spec.privateKey.algorithm = 'DSA';
    delete bad.spec.secretName;
    expect(validateObjects([bad as never]).map((p) => p.message)).toEqual([
      'spec: must have required property secretName',
      'spec.privateKey.algorithm: must be equal to one of the allowed values',
    ]);
  });

  it('uses the cert-manager schema version generators/crds/README.md names', () => {
    const readme = readFileSync(resolve(REPO_ROOT, 'generators/crds/README.md'), 'utf8');
    const named = /`@kubernetes-models\/cert-manager` \*\*([0-9.]+)\*\*/.exec(readme)?.[1];
    const installed = JSON.parse(readFileSync(resolve(REPO_ROOT, 'node_modules/@kubernetes-models/cert-manager/package.json'), 'utf8')).version;
    expect(named).toBe(installed);
  });

  it('caps a policy at 16 targetRefs (why the JWT policy selects routes by label instead)', () => {
    const bad = structuredClone(find(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy'));
    delete bad.spec.targetSelectors;
    bad.spec.targetRefs = Array.from({ length: 17 }, (_, i) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: `r${i}` }));
    expect(validateObjects([bad as never]).map((p) => p.message)).toEqual(['spec.targetRefs: must NOT have more than 16 items']);
  });

  it('runs the CRD rule that a policy has targetRefs or targetSelectors, not both', () => {
    const bad = structuredClone(find(objects, 'AgentgatewayPolicy', 'azure-mcp-authn-policy'));
    bad.spec.targetRefs = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'r' }];
    expect(validateObjects([bad as never]).map((p) => p.message)).toEqual([expect.stringContaining('exactly one of the fields in [targetRefs targetSelectors]')]);
  });

  it('treats an unknown kind as a problem', () => {
    expect(validateObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
      { where: 'Widget w', message: 'unknown kind Widget (example.com/v1): no schema to validate it against' },
    ]);
    expect(validateObjects([{ apiVersion: 'v1', kind: 'Container', metadata: { name: 'c' } }])[0]!.message).toContain('unknown kind Container');
  });

  it('validates Argo CD kinds', () => {
    const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec: { project: 'mcp', destination: {}, source: { repoURL: 'https://x', path: 'base' } } };
    expect(validateObjects([app])).toEqual([]);
    expect(validateObjects([{ ...app, spec: { ...app.spec, project: 3 } }])[0]!.message).toBe('spec.project: must be string');
  });

  it('checks metadata names and label values', () => {
    const bad = structuredClone(find(objects, 'ServiceAccount', 'mcp-example'));
    bad.metadata.name = 'Bad_Name';
    bad.metadata.labels['app.kubernetes.io/version'] = 'not ok!';
    expect(validateObjects([bad as never]).map((p) => p.message)).toEqual([
      'metadata.name "Bad_Name" is not a DNS-1123 subdomain',
      'metadata.labels["app.kubernetes.io/version"] has an invalid value "not ok!"',
    ]);
  });
});
