import { describe, expect, it } from 'vitest';
import { renderPlaced } from '../../src/render/index.ts';
import { renderKustomizations } from '../../src/render/kustomization.ts';
import { goodRegistry } from '../helpers.ts';

describe('renderKustomizations', () => {
  const kustomizations = renderKustomizations(renderPlaced(goodRegistry()));

  it('lists child folders and files, sorted, with only resources', () => {
    expect(kustomizations.get('')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['auth', 'gateway', 'namespace.yaml', 'servers', 'ui'],
    });
    expect(kustomizations.get('servers')!.resources).toEqual(['mcp-example', 'mcp-hubspot', 'mcp-mssql']);
    expect(kustomizations.get('servers/mcp-hubspot')!.resources).toEqual([
      'access-policy.yaml',
      'backend.yaml',
      'headless-service.yaml',
      'network-policy.yaml',
      'route.yaml',
      'service-account.yaml',
      'service.yaml',
      'statefulset.yaml',
      'token-cronjob.yaml',
      'token-role-binding.yaml',
      'token-role.yaml',
      'token-service-account.yaml',
      'tool-access-policy.yaml',
    ]);
  });

  it('uses no deprecated field', () => {
    for (const k of kustomizations.values()) expect(Object.keys(k)).toEqual(['apiVersion', 'kind', 'resources']);
  });
});
