import { describe, expect, it } from 'vitest';
import { renderPlaced, renderUnits } from '../../src/render/index.ts';
import { renderKustomizations } from '../../src/render/kustomization.ts';
import { place } from '../../src/render/placed.ts';
import { goodRegistry } from '../helpers.ts';

describe('renderKustomizations', () => {
  const registry = goodRegistry();
  const kustomizations = renderKustomizations(renderPlaced(registry), renderUnits(registry));

  it('writes one per folder of each unit, and none above a unit', () => {
    expect([...kustomizations.keys()]).toEqual([
      'servers/mcp-example',
      'servers/mcp-hubspot',
      'servers/mcp-mssql',
      'shared',
      'shared/auth',
      'shared/gateway',
      'shared/monitoring',
      'shared/ui',
    ]);
  });

  it('lists child folders and files, sorted, with only resources', () => {
    expect(kustomizations.get('shared')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['auth', 'gateway', 'monitoring', 'namespace.yaml', 'ui'],
    });
    expect(kustomizations.get('servers/mcp-hubspot')!.resources).toEqual([
      'access-policy.yaml',
      'backend.yaml',
      'headless-service.yaml',
      'network-policy.yaml',
      'pod-monitor.yaml',
      'prometheus-rule.yaml',
      'route.yaml',
      'service-account.yaml',
      'service.yaml',
      'statefulset.yaml',
      'token-cronjob.yaml',
      'token-role-binding.yaml',
      'token-role.yaml',
      'token-service-account.yaml',
      'tool-access-policy.yaml',
      'tool-lock.yaml',
    ]);
  });

  it('uses no deprecated field', () => {
    for (const k of kustomizations.values()) expect(Object.keys(k)).toEqual(['apiVersion', 'kind', 'resources']);
  });

  it('refuses an object placed outside every unit', () => {
    const stray = place('elsewhere', 'test', [['x.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]]);
    expect(() => renderKustomizations(stray, ['shared'])).toThrow('ConfigMap x is placed in elsewhere, which is in no unit');
  });
});
